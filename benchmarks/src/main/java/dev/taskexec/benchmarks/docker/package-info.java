/**
 * Benchmarks of the {@code docker} executor against a real Docker Engine, each beside the same
 * work done without taskexec: the Engine calls made directly with docker-java, and the
 * {@code docker run --rm} command.
 *
 * <p>They need a running engine and the test image ({@code scripts/docker-test-env.sh up});
 * the image is the system property {@code taskexec.bench.image}, default
 * {@code taskexec-test:latest}. {@code @Setup} throws, naming what is missing, when either is
 * absent. Every container is labelled {@code dev.taskexec.bench.run} and removed by the end
 * of the trial.
 */
package dev.taskexec.benchmarks.docker;
