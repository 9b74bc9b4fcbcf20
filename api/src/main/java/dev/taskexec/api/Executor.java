package dev.taskexec.api;

import static org.apiguardian.api.API.Status.STABLE;

import dev.taskexec.api.proto.Node;
import dev.taskexec.api.proto.NodeDescription;
import dev.taskexec.api.proto.Task;
import org.apiguardian.api.API;

/**
 * A backend that runs tasks on this node: describes the node and makes a {@link Controller} per
 * task.
 *
 * <p>Made by {@link ExecutorProvider#create(java.util.Map)}. Implementations are thread-safe: the
 * agent calls {@link #controller(Task)} for many tasks from many threads.
 */
@API(status = STABLE, since = "0.1")
public interface Executor extends AutoCloseable {

    /**
     * Describes the node as this backend sees it: hostname, platform, resources, engine.
     *
     * @return a description; never {@code null}
     * @throws InterruptedException if interrupted while asking the runtime
     * @throws Exception if the runtime cannot be reached (a daemon that is down: make it
     *     {@linkplain Errors#temporary(Throwable) temporary})
     */
    NodeDescription describe() throws Exception;

    /**
     * Tells the backend which node it runs as, before tasks are assigned and again whenever the
     * node changes. Backends that need nothing from the node return at once.
     *
     * @param node the node this backend runs on
     * @throws Exception if the backend cannot be configured for the node
     */
    void configure(Node node) throws Exception;

    /**
     * Makes a controller for the task. Must not start anything: it validates the task and returns
     * quickly.
     *
     * @param task the task to control
     * @return a new controller, owned by the caller, who must {@link Controller#close() close} it
     * @throws RuntimeUnsupportedException if the task's runtime is one this backend cannot run
     * @throws Exception if the task is invalid for this backend; the message names the field
     */
    Controller controller(Task task) throws Exception;

    /**
     * Releases what the executor holds (connections, thread pools). Controllers it made are not
     * closed by this; their owners close them. Idempotent. The default does nothing.
     */
    @Override
    default void close() {}
}
