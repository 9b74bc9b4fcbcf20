package dev.taskexec.executor.process;

import com.google.protobuf.ByteString;
import dev.taskexec.api.LogChunkPublisher;
import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.LogStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Run in a child JVM with a small heap by {@link OutputVolumeTest}: pushes {@code bytes} bytes of
 * {@code yes} (2-byte lines) through a process-backend task to a follower that reads chunks
 * ({@code fast}), or that stops at its first message until the task has exited ({@code stalled}),
 * and prints what it counted, as {@code key=value} lines, on stdout.
 *
 * <p>Usage: {@code OutputVolumeProbe fast|stalled BYTES}.
 */
public final class OutputVolumeProbe {

    private static final Pattern NOTICE =
            Pattern.compile("taskexec: (\\d+) log messages? (?:was|were) dropped");

    private OutputVolumeProbe() {}

    public static void main(String[] args) throws Exception {
        boolean stalled = args[0].equals("stalled");
        long bytes = Long.parseLong(args[1]);
        long[] data = {0};
        long[] lines = {0};
        long[] dropped = {0};
        CountDownLatch exited = new CountDownLatch(1);
        LogChunkPublisher publisher =
                new LogChunkPublisher() {
                    private boolean held;

                    @Override
                    public void publish(LogMessage message) throws Exception {
                        if (message.getStream() == LogStream.LOG_STREAM_STDERR) {
                            Matcher m = NOTICE.matcher(message.getData().toStringUtf8());
                            if (m.find()) {
                                dropped[0] += Long.parseLong(m.group(1));
                                return;
                            }
                        }
                        publishChunk(message);
                    }

                    @Override
                    public void publishChunk(LogMessage chunk) throws Exception {
                        if (stalled && !held) {
                            held = true;
                            if (!exited.await(5, TimeUnit.MINUTES)) {
                                throw new IllegalStateException("the task never exited");
                            }
                        }
                        ByteString d = chunk.getData();
                        data[0] += d.size();
                        for (int i = 0, n = d.size(); i < n; i++) {
                            if (d.byteAt(i) == '\n') {
                                lines[0]++;
                            }
                        }
                    }
                };
        long started = System.nanoTime();
        try (ProcessExecutor executor = new ProcessExecutor(ProcessExecutorOptions.defaults())) {
            Following.run(
                    executor, Tasks.sh("yes | head -c " + bytes), publisher, exited::countDown);
        }
        long nanos = System.nanoTime() - started;
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("bytes=" + data[0]);
        System.out.println("lines=" + lines[0]);
        System.out.println("dropped=" + dropped[0]);
        System.out.println("peakHeap=" + peak);
        System.out.println("maxHeap=" + Runtime.getRuntime().maxMemory());
        System.out.println("millis=" + TimeUnit.NANOSECONDS.toMillis(nanos));
    }
}
