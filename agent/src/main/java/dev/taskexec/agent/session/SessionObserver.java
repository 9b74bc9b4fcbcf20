package dev.taskexec.agent.session;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.google.protobuf.ByteString;
import dev.taskexec.api.proto.Node;
import org.apiguardian.api.API;

/**
 * What the dispatcher session tells the rest of the node about its session with a manager; the
 * identity layer uses it to act on certificate rotation ({@code node.certificate.status} ROTATE) and
 * on a new root CA.
 *
 * <p>Callbacks run on the session's own thread, one at a time, in the order the manager sent what
 * they report: they must return quickly and must not block (hand long work to another thread). An
 * exception thrown by a callback is logged and otherwise ignored. Every method has an empty
 * default, so an observer implements only what it needs.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface SessionObserver {

    /** A session was registered with the manager at {@code managerAddress}. */
    default void sessionStarted(String sessionId, String managerAddress) {}

    /** The manager's current record of this node, sent with every session message that has one. */
    default void nodeUpdated(Node node) {}

    /**
     * The swarm's root CA bundle (PEM) as the manager sent it in a session message; sent again on
     * every such message, changed or not.
     */
    default void rootCaOffered(ByteString rootCaPem) {}

    /**
     * The session ended; the session will try to register again unless it was closed. Also called
     * when an attempt to register failed ({@link #sessionStarted} was not called for it then), so
     * every attempt ends with exactly one call. {@code cause} is the gRPC failure
     * ({@code StatusRuntimeException}) or a {@link SessionEndedException}.
     */
    default void sessionEnded(Throwable cause) {}
}
