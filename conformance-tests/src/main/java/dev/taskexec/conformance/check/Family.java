package dev.taskexec.conformance.check;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/** The rule families, in the order the kit runs them. */
@API(status = INTERNAL, since = "0.1")
public enum Family {
    LC("lifecycle"),
    ID("idempotency"),
    CX("cancellation and interruption"),
    EX("exit codes and status"),
    LG("logs"),
    RS("resources released"),
    ER("bad input"),
    RC("recovery after the agent is gone");

    private final String title;

    Family(String title) {
        this.title = title;
    }

    /** What the family covers, for display names. */
    public String title() {
        return title;
    }

    /** The family a rule id belongs to. */
    public static Family of(String ruleId) {
        return valueOf(ruleId.substring(0, ruleId.indexOf('-')));
    }
}
