package dev.taskexec.core;

import static org.apiguardian.api.API.Status.STABLE;

import dev.taskexec.api.Controller;
import dev.taskexec.api.proto.TaskStatus;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The result of {@link Lifecycle#resolve resolving} a task's controller: the status to report, and
 * either the controller or the executor's failure to make one.
 *
 * <p>Exactly one of {@code controller} and {@code failure} is non-null. The status is to be
 * reported in both cases: on failure it is usually REJECTED or FAILED with the failure's message in
 * {@code err}.
 *
 * @param status the new status of the task; never null
 * @param controller the task's controller, or null when resolution failed; the caller owns it and
 *     must {@link Controller#close() close} it
 * @param failure the exception the executor threw, itself and not a wrapper, or null when
 *     resolution succeeded
 */
@API(status = STABLE, since = "0.1")
public record Resolution(TaskStatus status, Controller controller, Throwable failure) {

    /**
     * @throws NullPointerException if {@code status} is null
     * @throws IllegalArgumentException unless exactly one of {@code controller} and {@code failure}
     *     is non-null
     */
    public Resolution {
        Objects.requireNonNull(status, "status");
        if ((controller == null) == (failure == null)) {
            throw new IllegalArgumentException(
                    "a resolution has either a controller or a failure, not "
                            + (controller == null ? "neither" : "both"));
        }
    }

    /** Whether the executor made a controller; {@code controller()} is non-null exactly then. */
    public boolean resolved() {
        return failure == null;
    }
}
