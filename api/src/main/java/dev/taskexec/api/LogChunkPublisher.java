package dev.taskexec.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.taskexec.api.proto.LogMessage;
import org.apiguardian.api.API;

/**
 * A {@link LogPublisher} that can also take several lines in one message, for readers that only
 * copy bytes (a terminal, a file) and would otherwise pay a call, and often a write, per line.
 *
 * <p>A backend that keeps output in blocks may, when the subscription's {@code tail} is 0, hand such
 * a publisher whole blocks through {@link #publishChunk}; a backend that does not know this
 * interface calls {@link #publish} for each line, which is equally correct. Both may be mixed
 * within one subscription, always in order.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface LogChunkPublisher extends LogPublisher {

    /**
     * Takes a chunk: a message whose data is consecutive output of one stream, possibly several
     * lines, each with its terminator; the first bytes may continue the previous message's line and
     * the last line may be unterminated (continued by the next message). Concatenating the data of
     * the messages of a stream, in order, gives back that stream byte for byte. The context, stream
     * and timestamp apply to every line in it. May block; must honour interruption.
     *
     * @param chunk the chunk; never {@code null}, its data never empty
     * @throws Exception if it cannot be taken; the producer stops publishing to this publisher
     */
    void publishChunk(LogMessage chunk) throws Exception;
}
