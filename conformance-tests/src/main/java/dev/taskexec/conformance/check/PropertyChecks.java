package dev.taskexec.conformance.check;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.taskexec.api.proto.TaskState;
import dev.taskexec.conformance.Fault;
import dev.taskexec.conformance.Workloads;
import java.util.ArrayList;
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

    /** Ordered simplest first: QuickTheories shrinks a pick towards the head of the list. */
    private static final List<Action> ACTIONS = List.of(
            new Action.StepOnce(),
            new Action.RunUntilIdle(),
            new Action.Raise(TaskState.RUNNING),
            new Action.Raise(TaskState.READY),
            new Action.Raise(TaskState.COMPLETE),
            new Action.Raise(TaskState.SHUTDOWN),
            new Action.Interrupt(),
            new Action.Update());

    private static final int MAX_ACTIONS = 8;

    private PropertyChecks() {
    }

    /** The generator of scenarios; with faults only when the workloads can inject them. */
    static Gen<Scenario> scenarios(Workloads workloads) {
        Gen<Scenario.Workload> kinds = Generate.pick(List.of(Scenario.Workload.values()));
        List<Optional<Fault>> faults = new ArrayList<>();
        faults.add(Optional.empty());
        if (workloads.withFault(workloads.exit(0), Fault.PREPARE_FAILS).isPresent()) {
            for (Fault fault : Fault.values()) {
                faults.add(Optional.of(fault));
            }
        }
        Gen<Optional<Fault>> injected = Generate.pick(faults);
        Gen<List<Action>> actions = lists().of(Generate.pick(ACTIONS)).ofSizeBetween(0, MAX_ACTIONS);
        return kinds.zip(injected, actions, Scenario::new).describedAs(Scenario::toString);
    }

    static void lifecycleInvariants(Env env) {
        check(env, env.subject().settings().examples(), false);
    }

    static void resourcesReleased(Env env) {
        check(env, Math.max(2, env.subject().settings().examples() / 2), true);
    }

    private static void check(Env env, int examples, boolean probe) {
        KitSettings settings = env.subject().settings();
        try {
            qt().withFixedSeed(settings.seed())
                    .withExamples(examples)
                    .withShrinkCycles(settings.shrinkCycles())
                    .forAll(scenarios(env.workloads()))
                    .checkAssert(scenario -> play(env, scenario, probe));
        } catch (RuleViolation violation) {
            throw violation;
        } catch (AssertionError falsified) {
            throw env.violation("property falsified (seed " + settings.seed()
                    + "; rerun with -Dtaskexec.conformance.seed=" + settings.seed() + "): "
                    + falsified.getMessage(), falsified);
        }
    }

    private static void play(Env env, Scenario scenario, boolean probe) {
        ScenarioRun run = new ScenarioRun(env, scenario);
        try {
            run.play();
            if (probe) {
                ResourceChecks.expectReleased(env, run.task(), "after the scenario " + scenario);
            }
        } catch (RuleViolation violation) {
            // QuickTheories shrinks on AssertionError; RuleViolation is one, and its message names the rule.
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
