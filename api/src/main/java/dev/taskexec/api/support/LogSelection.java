package dev.taskexec.api.support;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.google.protobuf.Timestamp;
import dev.taskexec.api.LogPublisher;
import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.LogStream;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Which of a task's log messages one {@link dev.taskexec.api.ControllerLogs#logs logs} call
 * publishes, decided from its {@link LogSubscriptionOptions} with swarmkit's semantics, the same
 * way on every backend.
 *
 * <p>The options are applied in this order, each to what the one before it left:
 * <ol>
 *   <li>{@code streams}: a message is selected if its stream is listed; an empty list means every
 *       stream.</li>
 *   <li>{@code since}: a message is selected if its timestamp is strictly after {@code since}
 *       (to the nanosecond; a message stamped exactly {@code since} is not). A subscriber that
 *       reconnects asks for what came after the last message it saw, and must not see that one
 *       again.</li>
 *   <li>{@code tail}, counted in messages that passed the two filters above:
 *     <ul>
 *       <li>0 selects them all;</li>
 *       <li>a positive n skips the first n of the subscription: the messages present when the call
 *           began first and, if there were fewer than n and the call follows, the ones that arrive
 *           after;</li>
 *       <li>a negative n keeps the last {@code -n - 1} of the messages present when the call began
 *           ({@code -1} none of them, {@code -2} the last one); a follower then receives every new
 *           message.</li>
 *     </ul>
 *   </li>
 * </ol>
 * The tail is applied after {@code since} and after {@code streams} everywhere. Docker's own
 * {@code tail} counts lines of every stream before its {@code since}, so a backend over Docker must
 * not hand the option to the engine; the same request would then return different messages there.
 * {@code follow} is not decided here: the backend keeps publishing {@link Pass#live live} messages
 * for as long as it follows.
 *
 * <p>A selection is immutable and thread-safe; a {@link Pass} holds the state of one call. Deciding
 * a message allocates nothing: streams are a bit set, {@code since} is compared as seconds and
 * nanoseconds, and only a negative tail keeps messages (at most {@code -n - 1} of them).
 *
 * <pre>{@code
 * LogSelection.Pass pass = LogSelection.of(options).newPass();
 * for (LogMessage m : bufferedMessages) pass.past(m, publisher);
 * pass.endOfPast(publisher);
 * while (options.getFollow() && ...) pass.live(nextMessage(), publisher);
 * }</pre>
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class LogSelection {

    private static final LogSelection ALL = new LogSelection(0L, null, false, 0L, 0, 0L);

    /** Bit v set: stream number v (0 to 63) is selected; 0 means every stream. */
    private final long streams;

    /** Stream numbers beyond 63 that are selected; null when there are none. */
    private final int[] otherStreams;

    private final boolean hasSince;
    private final long sinceSeconds;
    private final int sinceNanos;
    private final long tail;

    private LogSelection(
            long streams,
            int[] otherStreams,
            boolean hasSince,
            long sinceSeconds,
            int sinceNanos,
            long tail) {
        this.streams = streams;
        this.otherStreams = otherStreams;
        this.hasSince = hasSince;
        this.sinceSeconds = sinceSeconds;
        this.sinceNanos = sinceNanos;
        this.tail = tail;
    }

    /**
     * The selection that a subscription with {@code options} makes.
     *
     * @param options the subscription's options; {@code follow} is ignored here
     * @return the selection
     * @throws NullPointerException if {@code options} is null
     */
    public static LogSelection of(LogSubscriptionOptions options) {
        Objects.requireNonNull(options, "options");
        long mask = 0;
        int[] others = null;
        for (int value : options.getStreamsValueList()) {
            if (value >= 0 && value < 64) {
                mask |= 1L << value;
            } else {
                others = others == null ? new int[] {value} : append(others, value);
            }
        }
        Timestamp since = options.getSince();
        return new LogSelection(
                mask,
                others,
                options.hasSince(),
                since.getSeconds(),
                since.getNanos(),
                options.getTail());
    }

    private static int[] append(int[] values, int value) {
        int[] more = java.util.Arrays.copyOf(values, values.length + 1);
        more[values.length] = value;
        return more;
    }

    /**
     * The selection of every message: every stream, no {@code since}, tail 0.
     *
     * @return the selection of default options
     */
    public static LogSelection all() {
        return ALL;
    }

    /**
     * Whether messages of {@code stream} are selected. A backend that reads each stream separately
     * can skip a stream this rejects.
     *
     * @param stream a stream
     * @return true if the options list it, or list no stream at all
     * @throws NullPointerException if {@code stream} is null
     */
    public boolean selects(LogStream stream) {
        Objects.requireNonNull(stream, "stream");
        return stream == LogStream.UNRECOGNIZED
                ? streams == 0 && otherStreams == null
                : selectsStream(stream.getNumber());
    }

    private boolean selectsStream(int value) {
        if (streams == 0 && otherStreams == null) {
            return true;
        }
        if (value >= 0 && value < 64) {
            return (streams & 1L << value) != 0;
        }
        if (otherStreams != null) {
            for (int other : otherStreams) {
                if (other == value) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The {@code since} bound, for a backend that can narrow what it reads before selecting (Docker's
     * engine, for one, takes whole seconds and includes the bound: ask it for the second of
     * {@code since} and let {@link #accepts} decide the rest).
     *
     * @return the instant messages must be strictly after, or empty when the options set none
     */
    public Optional<Instant> since() {
        return hasSince
                ? Optional.of(Instant.ofEpochSecond(sinceSeconds, sinceNanos))
                : Optional.empty();
    }

    /**
     * Whether a message stamped {@code timestamp} passes {@code since}.
     *
     * @param timestamp a message's timestamp
     * @return true if the options set no {@code since}, or the timestamp is strictly after it
     * @throws NullPointerException if {@code timestamp} is null
     */
    public boolean isAfterSince(Timestamp timestamp) {
        return isAfterSince(timestamp.getSeconds(), timestamp.getNanos());
    }

    /**
     * Whether a message stamped {@code seconds} and {@code nanos} after the epoch passes
     * {@code since}.
     *
     * @param seconds the timestamp's seconds since the epoch
     * @param nanos   its nanoseconds within the second, from 0 to 999,999,999
     * @return true if the options set no {@code since}, or the timestamp is strictly after it
     */
    public boolean isAfterSince(long seconds, int nanos) {
        return !hasSince || seconds > sinceSeconds || seconds == sinceSeconds && nanos > sinceNanos;
    }

    /**
     * Whether {@code message} passes {@code streams} and {@code since}, the filters that do not
     * depend on the other messages. A backend that publishes without a tail (tail 0) needs nothing
     * else; it may also apply this to a chunk of several lines that share one stream and timestamp.
     *
     * @param message a message
     * @return true if its stream is selected and its timestamp is strictly after {@code since}
     * @throws NullPointerException if {@code message} is null
     */
    public boolean accepts(LogMessage message) {
        return selectsStream(message.getStreamValue()) && isAfterSince(message.getTimestamp());
    }

    /**
     * The options' {@code tail}, in swarmkit's encoding.
     *
     * @return 0 for every message, n &gt; 0 to skip the first n, n &lt; 0 for the last {@code -n - 1}
     *     present when the call began
     */
    public long tail() {
        return tail;
    }

    /**
     * Starts one call's pass over the messages.
     *
     * @return a new pass; it is not thread-safe
     */
    public Pass newPass() {
        return new Pass();
    }

    /**
     * The messages this selection publishes from a complete log read without following: the
     * reference every backend's answer to the same options must equal.
     *
     * @param log every message of a task, oldest first
     * @return the selected messages, in the same order
     * @throws NullPointerException if {@code log} or one of its messages is null
     */
    public List<LogMessage> apply(List<LogMessage> log) {
        List<LogMessage> out = new ArrayList<>();
        Pass pass = newPass();
        try {
            for (LogMessage m : log) {
                pass.past(m, out::add);
            }
            pass.endOfPast(out::add);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(
                    "adding to a list failed", e); // List.add throws no checked exception
        }
        return out;
    }

    /**
     * The selection's options, for messages.
     *
     * @return such as {@code LogSelection[streams=all, since=none, tail=-3]}
     */
    @Override
    public String toString() {
        String s =
                streams == 0 && otherStreams == null
                        ? "all"
                        : Long.toBinaryString(streams)
                                + (otherStreams == null
                                        ? ""
                                        : "+" + java.util.Arrays.toString(otherStreams));
        return "LogSelection[streams="
                + s
                + ", since="
                + since().map(Instant::toString).orElse("none")
                + ", tail="
                + tail
                + "]";
    }

    /**
     * One {@code logs} call's way through the messages: its backend offers each message once, in log
     * order, first those present when the call began ({@link #past}, closed by {@link #endOfPast}),
     * then, when following, those that arrive afterwards ({@link #live}); the pass publishes those
     * selected. Not thread-safe: it belongs to the thread serving the call.
     *
     * <p>With a tail of 0 or more, past and live messages are decided alike, so a backend that
     * cannot tell them apart (one read that returns the past and then follows) may offer every
     * message to {@link #live} and never call {@link #endOfPast}. With a negative tail the pass
     * holds the last past messages until {@link #endOfPast}, and then the backend must call it
     * before the first live message.
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    public final class Pass {

        /** Past messages still to skip: a positive tail, counted down. */
        private long skip = Math.max(tail, 0);

        /** How many past messages to keep; -1 when the tail is not negative. */
        private final long keep = tail < 0 ? -(tail + 1) : -1;

        private ArrayDeque<LogMessage> window;
        private boolean pastEnded;

        private Pass() {}

        /**
         * Offers a message that was present when the call began. It is published now if selected
         * and no negative tail holds it back.
         *
         * @param message the next past message, in log order
         * @param out     where selected messages go
         * @throws IllegalStateException if {@link #endOfPast} was called already
         * @throws Exception what {@code out} throws
         */
        public void past(LogMessage message, LogPublisher out) throws Exception {
            if (pastEnded) {
                throw new IllegalStateException("a past message offered after the end of the past");
            }
            if (!accepts(message)) {
                return;
            }
            if (keep >= 0) {
                if (keep == 0) {
                    return;
                }
                if (window == null) {
                    window = new ArrayDeque<>((int) Math.min(keep, 16));
                }
                if (window.size() == keep) {
                    window.pollFirst();
                }
                window.addLast(message);
                return;
            }
            if (skip > 0) {
                skip--;
                return;
            }
            out.publish(message);
        }

        /**
         * Ends the past: publishes what a negative tail kept. Idempotent.
         *
         * @param out where the kept messages go, oldest first
         * @throws Exception what {@code out} throws; the messages not yet published stay kept, so a
         *     retry publishes them
         */
        public void endOfPast(LogPublisher out) throws Exception {
            if (window != null) {
                while (!window.isEmpty()) {
                    out.publish(window.peekFirst());
                    window.pollFirst();
                }
                window = null;
            }
            pastEnded = true;
        }

        /**
         * Offers a message that arrived after the call began. It is published if selected; a
         * positive tail that the past did not use up skips it.
         *
         * @param message the next live message, in log order
         * @param out     where selected messages go
         * @throws IllegalStateException if the tail is negative and {@link #endOfPast} was not called
         * @throws Exception what {@code out} throws
         */
        public void live(LogMessage message, LogPublisher out) throws Exception {
            if (keep >= 0 && !pastEnded) {
                throw new IllegalStateException(
                        "a live message offered before the end of the past, with tail " + tail);
            }
            if (!accepts(message)) {
                return;
            }
            if (skip > 0) {
                skip--;
                return;
            }
            out.publish(message);
        }
    }
}
