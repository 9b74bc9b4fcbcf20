package dev.taskexec.conformance;

import static org.apiguardian.api.API.Status.STABLE;

import dev.taskexec.api.proto.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Lets the kit see what a backend still holds for a task after the task's
 * controller was removed and closed: its processes, containers, files, sockets.
 * Only the backend's author knows where to look, so the kit cannot check rules
 * RS-1, RS-2, RS-3 and RS-5 without a probe; {@link ExecutorConformance#resources()}
 * returns {@link #none()} by default and those rules are then skipped.
 *
 * <p>A probe examines the machine, not the backend's bookkeeping: it should find
 * a leaked process even if the backend forgot it ever started it. Typical probes
 * look for processes whose environment carries the task id, containers labelled
 * with the task id, or files under the task's state directory.
 *
 * <p>The kit calls a probe from one thread at a time, after {@code remove} and
 * {@code close} returned, and polls it for a few seconds before declaring a leak,
 * so a resource the operating system releases asynchronously (a zombie being
 * reaped) is not reported.
 */
@API(status = STABLE, since = "0.1")
@FunctionalInterface
public interface ResourceProbe {

    /**
     * Describes every resource the backend made for {@code task} that still exists,
     * one human-readable line each (for example {@code "process 4242: sh -c sleep 3600"}
     * or {@code "container 3f2a... (running)"}).
     *
     * @param task the task, as the kit built it (its id, service id, annotations and spec)
     * @return the leaks, empty when the backend holds nothing for the task
     * @throws Exception if the probe itself cannot look; the rule then fails with that error
     */
    List<String> heldFor(Task task) throws Exception;

    /**
     * Whether this probe really inspects the backend's resources. The kit skips the
     * probe-based rules when it does not, rather than passing them vacuously.
     */
    default boolean inspects() {
        return true;
    }

    /** A probe that cannot see anything: the probe-based rules are skipped. */
    static ResourceProbe none() {
        return NoProbe.INSTANCE;
    }

    /**
     * A probe that reports what this probe and {@code other} report.
     *
     * @throws NullPointerException if {@code other} is null
     */
    default ResourceProbe and(ResourceProbe other) {
        Objects.requireNonNull(other, "other");
        ResourceProbe self = this;
        if (!self.inspects()) {
            return other;
        }
        if (!other.inspects()) {
            return self;
        }
        return task -> {
            List<String> held = new ArrayList<>(self.heldFor(task));
            held.addAll(other.heldFor(task));
            return held;
        };
    }
}
