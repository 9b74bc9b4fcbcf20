package dev.taskexec.api;

import static org.apiguardian.api.API.Status.STABLE;

import dev.taskexec.api.proto.PortStatus;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Reports the ports the backend published on the host for the task.
 *
 * <p>Implemented by controllers; the lifecycle looks for it with {@code instanceof} once the task
 * is starting or later.
 */
@API(status = STABLE, since = "0.1")
public interface PortStatuser {

    /**
     * The ports published on the host for the task.
     *
     * @return the published ports, or empty when the task publishes none or has no container yet
     * @throws InterruptedException if interrupted while asking the runtime
     * @throws Exception if the ports could not be read; the lifecycle logs it and carries on
     */
    Optional<PortStatus> portStatus() throws Exception;
}
