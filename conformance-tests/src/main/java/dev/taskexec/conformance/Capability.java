package dev.taskexec.conformance;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * An optional capability a backend may offer. Rules that depend on a capability
 * (see {@code RULES.md}) are skipped, not failed, when the backend under test does
 * not declare it, and must pass when it does.
 *
 * <p>New constants may be added in later versions; a backend's conformance test
 * that declares capabilities with {@code EnumSet.of(...)} keeps compiling.
 */
@API(status = STABLE, since = "0.1")
public enum Capability {
    /** Controllers implement {@link dev.taskexec.api.ControllerLogs} (rules LG-*, CX-4). */
    LOGS,
    /** Controllers and exit failures implement {@link dev.taskexec.api.ContainerStatuser} (rule EX-4). */
    CONTAINER_STATUS,
    /** Controllers implement {@link dev.taskexec.api.PortStatuser} (rule EX-5). */
    PORT_STATUS,
    /**
     * The backend delivers a stop signal the workload can handle or ignore, and
     * {@code shutdown} waits the task's {@code stop_grace_period} before killing
     * (rules LC-9, LC-10, CX-3).
     */
    GRACEFUL_STOP,
    /** {@code update} rejects a changed runtime spec with {@link dev.taskexec.api.TaskUpdateRejectedException} (rule ID-8). */
    UPDATE_REJECTION,
    /**
     * The executor is a {@link dev.taskexec.api.TaskRecovery}: a fresh executor re-adopts the tasks an
     * earlier one started, and reaps the orphans no task claims (rules RC-*).
     */
    RECOVERY
}
