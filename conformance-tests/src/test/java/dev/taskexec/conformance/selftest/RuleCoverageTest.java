package dev.taskexec.conformance.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.conformance.Rule;
import dev.taskexec.conformance.Rules;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every rule of the catalogue is failed by at least one deliberately broken backend of the
 * self-tests ({@link BrokenBackendsTest}, {@link RecoveryBugsTest}, {@link PropertyShrinkingTest}):
 * a rule no broken backend fails has never been shown to catch anything. Runs no backend; it reads
 * the case lists those tests run.
 */
class RuleCoverageTest {

    /**
     * Rules no backend can fail, each with the reason. Empty: every rule is failed by a broken
     * backend. A rule goes here only when it is unfailable by construction, never to make this
     * test pass.
     */
    static final Map<String, String> UNFAILABLE = Map.of();

    /** Every rule a broken backend of the self-tests is asserted to fail. */
    static Set<String> failedByABrokenBackend() {
        Set<String> failed = new HashSet<>();
        BrokenBackendsTest.bugs().forEach(c -> failed.addAll(c.fails()));
        RecoveryBugsTest.bugs()
                .forEach(
                        arguments -> {
                            for (Object rule : (List<?>) arguments.get()[2]) {
                                failed.add((String) rule);
                            }
                        });
        failed.addAll(PropertyShrinkingTest.FAILS);
        return failed;
    }

    @Test
    void everyRuleIsFailedBySomeBrokenBackend() {
        Set<String> failed = failedByABrokenBackend();
        Set<String> uncovered = new TreeSet<>();
        for (Rule rule : Rules.all()) {
            if (!failed.contains(rule.id()) && !UNFAILABLE.containsKey(rule.id())) {
                uncovered.add(rule.id());
            }
        }
        assertEquals(
                Set.of(),
                uncovered,
                "rules no broken backend of the self-tests fails (add one that makes the"
                        + " mistake the rule exists for, or, if it is unfailable by construction, list it in UNFAILABLE"
                        + " with the reason)");
    }

    @Test
    void theCasesAndExceptionsNameCataloguedRules() {
        Stream.concat(failedByABrokenBackend().stream(), UNFAILABLE.keySet().stream())
                .forEach(id -> assertEquals(id, Rules.byId(id).id()));
    }

    /** A case pins its failure down: it also names a related rule the broken backend must still pass. */
    @Test
    void everyBrokenBackendAlsoPassesARelatedRule() {
        BrokenBackendsTest.bugs()
                .forEach(
                        c -> {
                            assertTrue(
                                    !c.passes().isEmpty(),
                                    c.name() + " names no rule it must pass");
                            assertTrue(
                                    c.passes().stream().noneMatch(c.fails()::contains),
                                    c.name() + " must both fail and pass a rule");
                        });
    }

    @Test
    void noRuleIsBothFailedAndListedAsUnfailable() {
        Set<String> both = new TreeSet<>(UNFAILABLE.keySet());
        both.retainAll(failedByABrokenBackend());
        assertTrue(both.isEmpty(), "failed by a broken backend yet listed as unfailable: " + both);
    }
}
