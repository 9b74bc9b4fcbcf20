package dev.taskexec.executor.docker;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * When {@code prepare} pulls a task's image from its registry.
 *
 * <p>A failed pull is logged, not thrown: the container create that follows decides, as in
 * swarmkit, so a task still runs from a local image while its registry is down. Only
 * {@link #NEVER} turns an absent image into a failure of its own.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public enum PullPolicy {
    /** Pull only when the image is not present locally (the default). */
    MISSING,
    /** Pull every time, to pick up a moved tag; a local copy is used if the pull fails. */
    ALWAYS,
    /** Never pull: an image that is not present rejects the task. */
    NEVER;

    /** The option value naming this policy: {@code missing}, {@code always} or {@code never}. */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads an option value.
     *
     * @throws IllegalArgumentException naming the accepted values when {@code value} is none of them
     */
    public static PullPolicy parse(String value) {
        for (PullPolicy p : values()) {
            if (p.optionValue().equals(value)) {
                return p;
            }
        }
        throw new IllegalArgumentException(
                "option pull: unknown pull policy \""
                        + value
                        + "\"; use one of "
                        + Arrays.stream(values())
                                .map(PullPolicy::optionValue)
                                .collect(Collectors.joining(", ")));
    }
}
