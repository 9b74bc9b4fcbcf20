package dev.taskexec.executor.fake;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.taskexec.api.ControllerClosedException;
import dev.taskexec.api.proto.ContainerStatus;
import java.time.Duration;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What a {@link Behavior} may see and do while it decides one call.
 *
 * <p>Both waiting methods end early when the calling thread is interrupted (throwing
 * {@link InterruptedException} with the interrupt flag cleared, as {@link Thread#sleep} does) or
 * when the controller the call was made on is closed (throwing {@link ControllerClosedException}),
 * so a custom behaviour that waits only through them can never hang a test.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface BehaviorContext {

    /** The call being decided. */
    Call call();

    /** The id of the task the call is for. */
    String taskId();

    /**
     * The fake container's status at this moment, as {@link FakeController#containerStatus()}
     * reports it: empty before the task was prepared and after it was removed.
     */
    Optional<ContainerStatus> containerStatus();

    /**
     * Waits for the given time, measured on the JVM's monotonic clock (or on the executor's
     * {@link ManualClock}, if it has one).
     *
     * @throws InterruptedException if the thread is interrupted first
     * @throws ControllerClosedException if the controller is closed first
     */
    void sleep(Duration duration) throws InterruptedException, ControllerClosedException;

    /**
     * Waits until the thread is interrupted or the controller closed; never returns normally.
     *
     * @throws InterruptedException when the thread is interrupted
     * @throws ControllerClosedException when the controller is closed
     */
    void block() throws InterruptedException, ControllerClosedException;
}
