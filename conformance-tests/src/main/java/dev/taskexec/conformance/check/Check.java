package dev.taskexec.conformance.check;

/** The body of one rule's check. It fails by throwing {@link RuleViolation}, skips with JUnit's TestAbortedException. */
@FunctionalInterface
public interface Check {
    void run(Env env) throws Exception;
}
