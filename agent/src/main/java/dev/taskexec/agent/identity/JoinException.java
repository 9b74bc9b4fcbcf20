package dev.taskexec.agent.identity;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Getting or renewing a node certificate failed for a reason a retry with the same input will not
 * fix: the root CA does not match the join token, the manager refused the token or the certificate
 * (a node removed from the swarm), the CA reported the issuance FAILED, or what it issued does not
 * chain to the trusted roots. The message says which, in words for the operator, and never contains
 * the token.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class JoinException extends Exception {

    private static final long serialVersionUID = 1L;

    public JoinException(String message) {
        super(message);
    }

    public JoinException(String message, Throwable cause) {
        super(message, cause);
    }
}
