package dev.taskexec.conformance.check;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.taskexec.conformance.Rule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apiguardian.api.API;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.TestAbortedException;

/**
 * The whole kit: every rule's check, by family, and how one check is run — skipped
 * when its capability or probe is missing, bounded in time, cleaned up after, and
 * every failure reported with the rule id first.
 */
@API(status = INTERNAL, since = "0.1")
public final class Kit {

    private Kit() {}

    /** The checks of one family, in rule order. */
    public static List<RuleCheck> checks(Family family) {
        return switch (family) {
            case LC -> LifecycleChecks.checks();
            case ID -> IdempotencyChecks.checks();
            case CX -> CancellationChecks.checks();
            case EX -> ExitChecks.checks();
            case LG -> LogChecks.checks();
            case RS -> ResourceChecks.checks();
            case ER -> BadInputChecks.checks();
            case RC -> RecoveryChecks.checks();
        };
    }

    /** Every check, family by family. */
    public static List<RuleCheck> all() {
        List<RuleCheck> all = new ArrayList<>();
        for (Family family : Family.values()) {
            all.addAll(checks(family));
        }
        return List.copyOf(all);
    }

    /**
     * One dynamic test per rule of {@code family}; each builds the subject when it
     * runs (so a failing {@code provider()} fails every rule with its message).
     */
    public static Stream<DynamicTest> dynamicTests(
            Family family, Callable<Subject> subject, Predicate<Rule> selected) {
        return checks(family).stream()
                .filter(check -> selected.test(check.rule()))
                .map(
                        check ->
                                DynamicTest.dynamicTest(
                                        check.rule().displayName(),
                                        () -> run(subjectOf(check.rule(), subject), check)));
    }

    private static Subject subjectOf(Rule rule, Callable<Subject> subject) {
        try {
            return subject.call();
        } catch (RuntimeException | Error e) {
            throw new RuleViolation(
                    rule, "the conformance test's hooks failed: " + Causes.describe(e), e);
        } catch (Exception e) {
            throw new RuleViolation(
                    rule, "the conformance test's hooks failed: " + Causes.describe(e), e);
        }
    }

    /**
     * Runs one check against the subject.
     *
     * @throws TestAbortedException if the rule does not apply (missing capability or probe)
     * @throws RuleViolation        if the backend broke the rule; the message starts with the rule id
     */
    public static void run(Subject subject, RuleCheck check) throws InterruptedException {
        Rule rule = check.rule();
        rule.capability()
                .ifPresent(
                        capability -> {
                            if (!subject.capabilities().contains(capability)) {
                                throw new TestAbortedException(
                                        rule.id()
                                                + ": skipped, the backend does not declare "
                                                + capability);
                            }
                        });
        if (rule.needsProbe() && !subject.probe().inspects()) {
            throw new TestAbortedException(
                    rule.id()
                            + ": skipped, no ResourceProbe (override"
                            + " ExecutorConformance.resources() so the kit can see your processes, containers or files)");
        }
        // A last-resort bound on the whole check: every backend call already has its own deadline.
        Duration limit = subject.settings().callTimeout().multipliedBy(10);
        InFlight<Void> body =
                InFlight.start(
                        rule.id(),
                        () -> {
                            try (Env env = new Env(subject, rule)) {
                                check.check().run(env);
                            }
                        });
        CallResult<Void> result;
        try {
            result = body.await(limit);
        } catch (TimeoutException e) {
            body.interrupt();
            throw new RuleViolation(
                    rule, "the check did not finish within " + Calls.seconds(limit));
        } catch (InterruptedException e) {
            body.interrupt();
            throw e;
        }
        if (result.returned()) {
            return;
        }
        Throwable thrown = result.thrown();
        if (thrown instanceof RuleViolation violation) {
            if (violation.rule() == rule) {
                throw violation;
            }
            throw new RuleViolation(rule, violation.getMessage(), violation);
        }
        if (thrown instanceof TestAbortedException aborted) {
            throw aborted;
        }
        throw new RuleViolation(rule, "unexpected " + Causes.describe(thrown), thrown);
    }
}
