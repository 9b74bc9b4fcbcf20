package dev.taskexec.executor.process;

import dev.taskexec.api.LogChunkPublisher;
import dev.taskexec.api.LogPublisher;
import dev.taskexec.api.proto.LogContext;
import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.api.support.LogSelection;
import java.util.List;
import java.util.function.Supplier;

/**
 * Serves one task's log subscriptions from its {@link LogBuffer}: the past the selection takes,
 * then, when following, new messages until the output ends, with a {@link DropNotice} where a
 * follower fell behind.
 *
 * <p>Separate from {@link ProcessController} because a subscription runs on the subscriber's thread
 * and touches nothing of the process or its lock: only the buffer the output fills and the task's
 * log context.
 */
final class TaskLogReader {

    private final LogBuffer logs;
    private final String taskId;

    /** The task's log context as it stands (an update may change it). */
    private final Supplier<LogContext> context;

    /** The {@value ProcessExecutorOptions#LOG_FOLLOW_LAG} in effect, for the drop notice. */
    private final long lagBytes;

    TaskLogReader(LogBuffer logs, String taskId, Supplier<LogContext> context, long lagBytes) {
        this.logs = logs;
        this.taskId = taskId;
        this.context = context;
        this.lagBytes = lagBytes;
    }

    /**
     * Serves one subscription, on the calling thread, as {@link ProcessController#logs} describes.
     */
    void logs(LogPublisher publisher, LogSubscriptionOptions options) throws Exception {
        LogSelection selection = LogSelection.of(options);
        // a chunk publisher takes whole chunks when no tail needs them cut into lines and counted
        boolean chunks = publisher instanceof LogChunkPublisher && selection.tail() == 0;
        LogSelection.Pass pass = selection.newPass();
        if (!options.getFollow()) {
            publishPast(publisher, chunks, selection, pass, logs.snapshot());
            return;
        }
        // attached before the past is published, so nothing written meanwhile can be lost
        try (LogBuffer.Cursor cursor = logs.follow()) {
            publishPast(publisher, chunks, selection, pass, cursor.past());
            while (!cursor.exhausted()) {
                if (Thread.interrupted()) {
                    throw new InterruptedException(
                            "log subscription of task " + taskId + " interrupted");
                }
                LogBuffer.Batch batch = cursor.await(Long.MAX_VALUE);
                if (batch.dropped() > 0) {
                    publisher.publish(DropNotice.of(batch.dropped(), context.get(), lagBytes));
                }
                for (LogBuffer.Entry e : batch.entries()) {
                    LogMessage chunk = e.message();
                    if (!selection.accepts(chunk)) {
                        continue; // every line of a chunk shares its stream and timestamp
                    }
                    if (chunks) {
                        ((LogChunkPublisher) publisher).publishChunk(chunk);
                    } else {
                        LineMessages.split(chunk, line -> pass.live(line, publisher));
                    }
                }
            }
        }
    }

    /** Publishes what the selection takes of the buffered chunks: whole, or line by line through the pass. */
    private static void publishPast(
            LogPublisher publisher,
            boolean chunks,
            LogSelection selection,
            LogSelection.Pass pass,
            List<LogBuffer.Entry> past)
            throws Exception {
        for (LogBuffer.Entry e : past) {
            LogMessage chunk = e.message();
            if (!selection.accepts(chunk)) {
                continue;
            }
            if (chunks) {
                ((LogChunkPublisher) publisher).publishChunk(chunk);
            } else {
                LineMessages.split(chunk, line -> pass.past(line, publisher));
            }
        }
        pass.endOfPast(publisher);
    }
}
