package dev.taskexec.conformance.check;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.taskexec.api.proto.TaskState;
import dev.taskexec.conformance.Fault;
import dev.taskexec.conformance.Workloads;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The property rules LC-8 and RS-5: QuickTheories generates scenarios (a workload
 * and a list of actions), the kit plays each against the backend, and on a
 * failure QuickTheories shrinks towards the shortest, simplest scenario that still
 * fails — the simplest workload is {@code exit(0)} and the simplest action
 * {@code step}, so a shrunk scenario reads like a minimal script.
 */
final class PropertyChecks {

    /**
     * Ordered simplest first: QuickTheories shrinks a pick towards the head of the list.
     * {@code run} appears three times so that most scenarios get somewhere.
     */
    private static final List<Action> ACTIONS =
            List.of(
                    new Action.StepOnce(),
                    new Action.RunUntilIdle(),
                    new Action.RunUntilIdle(),
                    new Action.RunUntilIdle(),
                    new Action.Raise(TaskState.RUNNING),
                    new Action.Raise(TaskState.READY),
                    new Action.Raise(TaskState.COMPLETE),
                    new Action.Raise(TaskState.SHUTDOWN),
                    new Action.Interrupt(),
                    new Action.Update());

    /** The desired state a task is assigned with; RUNNING, the usual one, first. */
    private static final List<TaskState> DESIRED =
            List.of(TaskState.RUNNING, TaskState.READY, TaskState.ASSIGNED);

    private static final int MAX_ACTIONS = 8;

    /** At most this many extra plays to simplify a failing scenario. */
    private static final int MINIMISE_BUDGET = 16;

    private PropertyChecks() {}

    /** The generator of scenarios; with faults only when the workloads can inject them. */
    static Gen<Scenario> scenarios(Workloads workloads) {
        Gen<Scenario.Workload> kinds = Generate.pick(List.of(Scenario.Workload.values()));
        Gen<Optional<Fault>> injected = Generate.constant(Optional.empty());
        if (workloads.withFault(workloads.exit(0), Fault.PREPARE_FAILS).isPresent()) {
            // Faults in about a third of the scenarios: most should show the backend's own
            // behaviour.
            List<Optional<Fault>> faults = new ArrayList<>();
            faults.add(Optional.empty());
            faults.add(Optional.empty());
            for (Fault fault : Fault.values()) {
                faults.add(Optional.of(fault));
                faults.add(Optional.empty());
            }
            injected = Generate.pick(faults);
        }
        Gen<TaskState> desired = Generate.pick(DESIRED);
        Gen<List<Action>> actions =
                lists().of(Generate.pick(ACTIONS)).ofSizeBetween(0, MAX_ACTIONS);
        return kinds.zip(injected, desired, actions, Scenario::new).describedAs(Scenario::toString);
    }

    static void lifecycleInvariants(Env env) {
        check(env, false);
    }

    static void resourcesReleased(Env env) {
        check(env, true);
    }

    private static void check(Env env, boolean probe) {
        KitSettings settings = env.subject().settings();
        Failures failures = new Failures();
        try {
            qt().withFixedSeed(settings.seed())
                    .withExamples(settings.examples())
                    .withShrinkCycles(settings.shrinkCycles())
                    .forAll(scenarios(env.workloads()))
                    .checkAssert(
                            scenario ->
                                    failures.record(scenario, () -> play(env, scenario, probe)));
        } catch (AssertionError falsified) {
            if (failures.smallest == null) {
                throw env.violation(
                        "property falsified (seed "
                                + settings.seed()
                                + "): "
                                + readable(falsified.getMessage()),
                        falsified);
            }
            minimise(env, failures, probe);
            throw env.violation(
                    "property falsified (seed "
                            + settings.seed()
                            + "; replay it with"
                            + " -Dtaskexec.conformance.seed="
                            + settings.seed()
                            + "); the smallest failing scenario found: "
                            + failures.smallest
                            + "\n"
                            + failures.violation.getMessage(),
                    failures.violation);
        }
    }

    /**
     * Greedy clean-up after QuickTheories' shrinking, which leaves redundant actions in
     * lists: drop the fault, simplify the workload and the desired state, and remove
     * actions one at a time, keeping each change that still fails. Bounded, since every
     * attempt plays a scenario against the backend.
     */
    private static void minimise(Env env, Failures failures, boolean probe) {
        int budget = MINIMISE_BUDGET;
        boolean improved = true;
        while (improved && budget > 0) {
            improved = false;
            for (Scenario candidate : simplifications(failures.smallest)) {
                if (budget-- <= 0) {
                    break;
                }
                try {
                    failures.record(candidate, () -> play(env, candidate, probe));
                } catch (RuleViolation stillFails) {
                    improved = true;
                    break;
                }
            }
        }
    }

    private static List<Scenario> simplifications(Scenario scenario) {
        List<Scenario> candidates = new ArrayList<>();
        if (scenario.fault().isPresent()) {
            candidates.add(
                    new Scenario(
                            scenario.workload(),
                            Optional.empty(),
                            scenario.desired(),
                            scenario.actions()));
        }
        for (int i = scenario.actions().size() - 1; i >= 0; i--) {
            List<Action> fewer = new ArrayList<>(scenario.actions());
            fewer.remove(i);
            candidates.add(
                    new Scenario(scenario.workload(), scenario.fault(), scenario.desired(), fewer));
        }
        int desired = DESIRED.indexOf(scenario.desired());
        if (desired > 0) {
            candidates.add(
                    new Scenario(
                            scenario.workload(),
                            scenario.fault(),
                            DESIRED.get(0),
                            scenario.actions()));
        }
        for (Scenario.Workload simpler : Scenario.Workload.values()) {
            if (simpler.ordinal() >= scenario.workload().ordinal()) {
                break;
            }
            candidates.add(
                    new Scenario(
                            simpler, scenario.fault(), scenario.desired(), scenario.actions()));
        }
        return candidates;
    }

    /** The failing scenarios seen so far; keeps the simplest. */
    private static final class Failures {
        private Scenario smallest;
        private RuleViolation violation;

        void record(Scenario scenario, Runnable play) {
            try {
                play.run();
            } catch (RuleViolation failed) {
                if (smallest == null || simpler(scenario, smallest)) {
                    smallest = scenario;
                    violation = failed;
                }
                throw failed;
            }
        }

        private static boolean simpler(Scenario a, Scenario b) {
            return Comparator.comparingInt((Scenario s) -> s.actions().size())
                            .thenComparing(s -> s.fault().isPresent())
                            .thenComparingInt(s -> s.workload().ordinal())
                            .thenComparingInt(s -> DESIRED.indexOf(s.desired()))
                            .compare(a, b)
                    < 0;
        }
    }

    /**
     * QuickTheories' report without stack traces and without the list of other falsifying
     * values, for the rare failure the kit did not record itself.
     */
    static String readable(String report) {
        if (report == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (String line : report.split("\\R")) {
            if (line.startsWith("Other found falsifying value")) {
                break;
            }
            String trimmed = line.strip();
            if (trimmed.isEmpty()
                    || trimmed.startsWith("at ")
                    || trimmed.startsWith("...")
                    || trimmed.startsWith("Caused by:")) {
                continue;
            }
            out.append(out.isEmpty() ? "" : "\n").append(line.stripTrailing());
        }
        return out.toString();
    }

    private static void play(Env env, Scenario scenario, boolean probe) {
        ScenarioRun run = new ScenarioRun(env, scenario);
        try {
            run.play();
            if (probe) {
                ResourceChecks.expectReleased(
                        env,
                        run.task(),
                        "after the scenario " + scenario,
                        ResourceChecks.PROPERTY_RELEASE_LIMIT);
            }
        } catch (RuleViolation violation) {
            // QuickTheories shrinks on AssertionError; RuleViolation is one, and its message names
            // the rule.
            throw violation;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw env.violation("the kit was interrupted while playing " + scenario, e);
        } catch (Exception e) {
            throw env.violation("playing " + scenario + " failed with " + Causes.describe(e), e);
        } finally {
            run.cleanUp();
        }
    }
}
