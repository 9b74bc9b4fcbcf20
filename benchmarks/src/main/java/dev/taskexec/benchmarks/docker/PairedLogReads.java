package dev.taskexec.benchmarks.docker;

import java.util.Arrays;

/**
 * {@link DockerLogThroughput}'s two reads, alternated: read {@code i} of the baseline and read
 * {@code i} of the executor run back to back, so that a busy spell of the machine (or of the
 * engine) meets both, and the median of the per-pair ratios says what JMH's runs of one method
 * after the other, whose errors on this 2-core machine are as large as the difference, cannot.
 * Not JMH: a comparison script's driver ({@code benchmarks/docker-logs.sh}).
 *
 * <p>Arguments: {@code [pairs] [output...]}, defaults 60 and both of the JMH class's outputs; the
 * first half of the pairs warms up and is not counted. Prints one line per output.
 */
public final class PairedLogReads {

    private PairedLogReads() {}

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        String[] outputs =
                args.length > 1
                        ? Arrays.copyOfRange(args, 1, args.length)
                        : new String[] {"100x1048576", "2x131072"};
        for (String output : outputs) {
            DockerLogThroughput bench = new DockerLogThroughput();
            bench.output = output;
            bench.setUp();
            try {
                double[] ratios = new double[pairs - pairs / 2];
                long[] baseline = new long[ratios.length];
                long[] executor = new long[ratios.length];
                for (int i = 0; i < pairs; i++) {
                    long t0 = System.nanoTime();
                    bench.baselineDockerJava();
                    long t1 = System.nanoTime();
                    bench.executor();
                    long t2 = System.nanoTime();
                    int k = i - pairs / 2;
                    if (k >= 0) {
                        baseline[k] = t1 - t0;
                        executor[k] = t2 - t1;
                        ratios[k] = (double) (t2 - t1) / (t1 - t0);
                    }
                }
                Arrays.sort(ratios);
                Arrays.sort(baseline);
                Arrays.sort(executor);
                int faster = 0;
                for (double r : ratios) {
                    faster += r <= 1.0 ? 1 : 0;
                }
                System.out.printf(
                        "%-12s docker-java median %6.1f ms, executor median %6.1f ms; median of paired"
                                + " cost ratios %.2fx (executor at %.2fx docker-java's bytes/s); executor as fast in %d of"
                                + " %d pairs%n",
                        output,
                        baseline[baseline.length / 2] / 1e6,
                        executor[executor.length / 2] / 1e6,
                        ratios[ratios.length / 2],
                        1 / ratios[ratios.length / 2],
                        faster,
                        ratios.length);
            } finally {
                bench.tearDown();
            }
        }
    }
}
