package dev.taskexec.benchmarks.process;

import dev.taskexec.api.Controller;
import dev.taskexec.api.ControllerLogs;
import dev.taskexec.api.Executor;
import dev.taskexec.api.LogChunkPublisher;
import dev.taskexec.api.LogPublisher;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.executor.process.ProcessExecutorProvider;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How fast a task's output gets from the process to a reader: {@code bytes} bytes of
 * {@code lineBytes}-byte lines ({@code yes LINE | head -c bytes} in {@code sh}), one operation a
 * whole run, timed single-shot.
 *
 * <ul>
 *   <li>{@link #baselineProcessBuilder}: the same command through a bare {@link ProcessBuilder}, its
 *       stdout pipe drained in 64 KiB reads into a byte counter: the raw pipe.</li>
 *   <li>{@link #chunks}: a process-backend task followed ({@code logs} with {@code follow}) by a
 *       {@link LogChunkPublisher} counting bytes, as {@code taskexec run}'s printer reads it:
 *       the child writes its output file, the executor's poller reads it into the buffer, the
 *       follower gets blocks of whole lines.</li>
 *   <li>{@link #lines}: the same followed by a plain {@link LogPublisher}, one message per line, as
 *       any other subscriber reads it.</li>
 * </ul>
 * Targets (issue 15): {@code chunks} at least 0.5× the baseline's bytes/s (a cost ratio of at
 * most 2.0×) for 100-byte lines and 0.25× (4.0×) for 2-byte lines. Every operation checks it
 * counted exactly {@code bytes} bytes and throws otherwise (so {@code quick} fails on a path that
 * loses output), which is why {@code @Setup} does not run them once more.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx256m"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class ProcessLogThroughput {

    @Param({"100", "2"})
    public int lineBytes;

    @Param({"67108864"})
    public long bytes;

    private Executor executor;
    private String[] command;
    private int run;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        executor = new ProcessExecutorProvider().create(Map.of());
        String line = "x".repeat(lineBytes - 1); // yes adds the newline
        command = new String[] {"sh", "-c", "yes '" + line + "' | head -c " + bytes};
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        executor.close();
    }

    @Benchmark
    public long baselineProcessBuilder() throws Exception {
        Process p =
                new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long n = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = p.getInputStream()) {
            for (int r; (r = in.read(buffer)) >= 0; ) {
                n += r;
            }
        }
        p.getOutputStream().close();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the generator exited " + p.exitValue());
        }
        return check(n);
    }

    @Benchmark
    public long chunks() throws Exception {
        long[] n = {0};
        return follow(
                new LogChunkPublisher() {
                    @Override
                    public void publish(LogMessage message) {
                        n[0] += message.getData().size();
                    }

                    @Override
                    public void publishChunk(LogMessage chunk) {
                        n[0] += chunk.getData().size();
                    }
                },
                n);
    }

    @Benchmark
    public long lines() throws Exception {
        long[] n = {0};
        return follow(message -> n[0] += message.getData().size(), n);
    }

    /** Runs the task with {@code publisher} following it from before its start; the bytes counted. */
    private long follow(LogPublisher publisher, long[] counted) throws Exception {
        Task task =
                Task.newBuilder()
                        .setId("bench-logs-" + run++)
                        .setServiceId("bench")
                        .setNodeId("node")
                        .setDesiredState(TaskState.RUNNING)
                        .setSpec(
                                TaskSpec.newBuilder()
                                        .setContainer(
                                                ContainerSpec.newBuilder()
                                                        .addAllCommand(java.util.List.of(command))))
                        .build();
        Controller c = executor.controller(task);
        try {
            c.prepare();
            AtomicReference<Exception> failed = new AtomicReference<>();
            Thread reader =
                    Thread.ofPlatform()
                            .name("bench-follower")
                            .start(
                                    () -> {
                                        try {
                                            ((ControllerLogs) c)
                                                    .logs(
                                                            publisher,
                                                            LogSubscriptionOptions.newBuilder()
                                                                    .setFollow(true)
                                                                    .build());
                                        } catch (Exception e) {
                                            failed.set(e);
                                        }
                                    });
            c.start();
            c.await();
            reader.join();
            if (failed.get() != null) {
                throw failed.get();
            }
            c.remove();
        } finally {
            c.close();
        }
        return check(counted[0]);
    }

    private long check(long n) {
        if (n != bytes) {
            throw new IllegalStateException("counted " + n + " bytes of output, expected " + bytes);
        }
        return n;
    }
}
