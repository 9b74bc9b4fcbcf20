/**
 * taskexec's JMH benchmarks: where every performance claim of the project is measured, each
 * figure beside a baseline from the same run, so a ratio still holds on a noisy machine.
 *
 * <h2>Layout</h2>
 * One package per area: {@code lifecycle} (the state machine, owned by the benchmarks issue),
 * {@code process}, {@code docker} and {@code worker}; {@code report} turns JMH's JSON into the
 * Markdown table. Run them with {@code benchmarks/run.sh [quick|full] [PATTERN]}.
 *
 * <h2>The baseline convention (every benchmark class follows it)</h2>
 * <ol>
 *   <li><b>One class measures one operation</b> (spawn a process and wait for it; run a
 *       container to its exit; one lifecycle step on one path).</li>
 *   <li><b>Baselines are methods of that class</b>, named {@code baseline} or {@code baseline}
 *       followed by an upper-case letter or {@code _}: {@code baselineProcessBuilder},
 *       {@code baselineDockerJava}, {@code baselineCli}. A baseline does the same operation
 *       without taskexec: raw {@link java.lang.ProcessBuilder}, direct docker-java calls,
 *       {@code docker run --rm}.</li>
 *   <li><b>Every other {@code @Benchmark} method is measured</b> against every baseline of its
 *       class with the same mode and with {@code @Param} values that agree (a baseline may
 *       have fewer parameters). The report prints, per measured row, the <em>cost ratio</em>
 *       to each baseline: its time per operation over the baseline's (throughput is inverted
 *       first), so {@code 1.20× processBuilder} means 20% slower than raw ProcessBuilder.</li>
 *   <li><b>Baselines are required</b> in every package except {@code lifecycle} and
 *       {@code worker} (which measure taskexec's own code and may add baselines where one
 *       makes sense). {@code BenchmarkConventionTest} fails the build otherwise.</li>
 *   <li><b>Each class declares its full-run settings</b>: {@code @BenchmarkMode},
 *       {@code @OutputTimeUnit}, {@code @Fork}, {@code @Warmup(iterations, time)} and
 *       {@code @Measurement(iterations, time)}. {@code run.sh full} uses them as they are;
 *       {@code run.sh quick} overrides them (no fork, no warmup, one 300 ms measurement
 *       iteration) and runs every {@code @Param} combination, so keep those few: the whole
 *       quick run must stay under two minutes on two cores.
 *       JMH's defaults (5 forks of 5+5 ten-second iterations) are never used: the test
 *       above checks the annotations are there.</li>
 *   <li><b>Anything that needs a Docker daemon lives in {@code dev.taskexec.benchmarks.docker}</b>:
 *       {@code run.sh} excludes that package when {@code docker info} fails or the test
 *       image is missing, and nothing else.</li>
 *   <li><b>Benchmarks clean up</b>: every process and container started in a {@code @Setup}
 *       or an invocation is gone after the matching {@code @TearDown}; a benchmark that
 *       cannot run here throws from {@code @Setup} with a message saying why (quick mode
 *       fails on it, so it is seen), and never measures a different path silently:
 *       check in {@code @Setup} that the path is the one the class claims to measure.</li>
 * </ol>
 */
package dev.taskexec.benchmarks;
