package dev.taskexec.api;

import static org.apiguardian.api.API.Status.STABLE;

import dev.taskexec.api.proto.ContainerStatus;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Reports the status of the task's container (or process): its id, pid and exit code.
 *
 * <p>Implemented by controllers, and by exceptions that carry the status of the container they
 * are about (as {@link ExitException} does). The lifecycle looks for it with {@code instanceof} on
 * the controller and, for a failure, along the failure's cause chain.
 */
@API(status = STABLE, since = "0.1")
public interface ContainerStatuser {

    /**
     * The container's status, if there is one yet.
     *
     * @return the status, or empty when no container exists (not yet prepared, or removed)
     * @throws InterruptedException if interrupted while asking the runtime
     * @throws Exception if the status could not be read; the lifecycle logs it and carries on
     */
    Optional<ContainerStatus> containerStatus() throws Exception;
}
