package dev.taskexec.benchmarks.lifecycle;

import dev.taskexec.api.ContainerStatuser;
import dev.taskexec.api.proto.ContainerStatus;
import java.util.Optional;

/**
 * A controller whose target has already exited with code 0 and which reports a container
 * status, as the Docker backend does: every operation succeeds at once (as with
 * {@link InstantController}), and {@link #containerStatus()} answers with one {@code Optional}
 * made up front, so the controller allocates nothing per call. Thread-safe (immutable).
 */
final class ExitedController extends InstantController implements ContainerStatuser {

    private final Optional<ContainerStatus> status;

    ExitedController(ContainerStatus status) {
        this.status = Optional.of(status);
    }

    @Override
    public Optional<ContainerStatus> containerStatus() {
        return status;
    }
}
