package dev.taskexec.conformance.check;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/** The body of one rule's check. It fails by throwing {@link RuleViolation}, skips with JUnit's TestAbortedException. */
@API(status = INTERNAL, since = "0.1")
@FunctionalInterface
public interface Check {
    void run(Env env) throws Exception;
}
