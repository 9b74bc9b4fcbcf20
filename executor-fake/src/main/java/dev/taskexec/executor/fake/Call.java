package dev.taskexec.executor.fake;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Locale;
import org.apiguardian.api.API;

/**
 * The calls a {@link FakeController} records and, except {@link #CLOSE}, lets a script or an
 * injected fault decide.
 *
 * <p>Each constant's {@link #word()} is its key in the script grammar ({@code start=fail:boom}).
 */
@API(status = EXPERIMENTAL, since = "0.1")
public enum Call {
    /** {@link dev.taskexec.api.Controller#update}. */
    UPDATE,
    /** {@link dev.taskexec.api.Controller#prepare}. */
    PREPARE,
    /** {@link dev.taskexec.api.Controller#start}. */
    START,
    /** {@link dev.taskexec.api.Controller#await}. */
    AWAIT,
    /** {@link dev.taskexec.api.Controller#shutdown}. */
    SHUTDOWN,
    /** {@link dev.taskexec.api.Controller#terminate}. */
    TERMINATE,
    /** {@link dev.taskexec.api.Controller#remove}. */
    REMOVE,
    /** {@link dev.taskexec.api.ControllerLogs#logs}. */
    LOGS,
    /** {@link dev.taskexec.api.Controller#close}; recorded, never scripted (close cannot fail). */
    CLOSE;

    private final String word = name().toLowerCase(Locale.ROOT);

    /** The lower-case name used in script words, such as {@code "prepare"}. */
    public String word() {
        return word;
    }

    /** Whether a {@link Behavior} may be scripted or injected for this call ({@link #CLOSE} is not). */
    public boolean scriptable() {
        return this != CLOSE;
    }

    /**
     * The call named by a script word.
     *
     * @throws IllegalArgumentException if no scriptable call has that word
     */
    public static Call fromWord(String word) {
        for (Call call : values()) {
            if (call.scriptable() && call.word.equals(word)) {
                return call;
            }
        }
        throw new IllegalArgumentException("unknown call \"" + word + "\"");
    }
}
