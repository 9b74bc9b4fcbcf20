package dev.taskexec.agent.session;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Why a session ended when no gRPC status says it: no first session message in time, the
 * manager closed a stream that should stay open, the node description changed, or the node was
 * stopped. Passed to {@link SessionObserver#sessionEnded}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class SessionEndedException extends Exception {

    private static final long serialVersionUID = 1L;

    public SessionEndedException(String message) {
        super(message);
    }
}
