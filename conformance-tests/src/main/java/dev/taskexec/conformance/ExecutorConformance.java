package dev.taskexec.conformance;

import static org.apiguardian.api.API.Status.STABLE;

import dev.taskexec.api.ExecutorProvider;
import dev.taskexec.conformance.check.CapabilityDetector;
import dev.taskexec.conformance.check.Family;
import dev.taskexec.conformance.check.Kit;
import dev.taskexec.conformance.check.KitSettings;
import dev.taskexec.conformance.check.Subject;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apiguardian.api.API;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The conformance kit as a JUnit 5 test class. A backend author extends it in test
 * scope and names the backend and how it runs the kit's workloads:
 *
 * <pre>{@code
 * class MyExecutorConformanceTest extends ExecutorConformance {
 *     @Override protected ExecutorProvider provider() { return new MyProvider(); }
 *     @Override protected Workloads workloads() { return Workloads.posixShell(); }
 * }
 * }</pre>
 *
 * <p>Every rule of {@code RULES.md} becomes one test whose display name and failure
 * message start with the rule id ({@code "LC-2 a workload that exits 0 ..."}), grouped
 * by family. Rules that depend on a capability the backend does not declare
 * ({@link #capabilities()}), or on a {@link ResourceProbe} it does not supply
 * ({@link #resources()}), are reported as skipped (aborted), not failed.
 *
 * <p>The hooks are called when each rule's check starts, so they may be called many
 * times and should be cheap; {@link #provider()} may return the same instance every
 * time. Each check creates its own executor(s) with {@link #options()}, and removes,
 * closes and cleans up everything it made when it ends, whatever the outcome.
 *
 * <p>Time: against a real backend the whole kit takes about a minute or two; the
 * property tests' example count ({@code -Dtaskexec.conformance.examples}, default 10),
 * seed ({@code -Dtaskexec.conformance.seed}) and the per-call deadline
 * ({@code -Dtaskexec.conformance.callTimeoutSeconds}, default 30) are system
 * properties. Run the kit without JUnit wiring with {@link ConformanceRunner}.
 */
@API(status = STABLE, since = "0.1")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class ExecutorConformance {

    private Set<Capability> detected;

    /** For a backend's test class, which JUnit instantiates; the kit has no state to set up here. */
    protected ExecutorConformance() {}

    /** The backend under test. Called before each family; may return a new instance each time. */
    protected abstract ExecutorProvider provider();

    /** How the backend runs the kit's workloads, for example {@link Workloads#posixShell()}. */
    protected abstract Workloads workloads();

    /**
     * The options every executor is created with ({@link ExecutorProvider#create}). Empty by
     * default. Rule ER-4 adds one unknown key to these and expects it to be refused.
     */
    protected Map<String, String> options() {
        return Map.of();
    }

    /**
     * The optional capabilities the backend offers; rules that depend on one left out are
     * skipped, and rules that depend on one declared here must pass (declaring
     * {@code LOGS} for a controller that is not a {@code ControllerLogs} fails them).
     *
     * <p>By default the kit detects them once per test instance: {@code LOGS},
     * {@code CONTAINER_STATUS} and {@code PORT_STATUS} when a controller the executor makes
     * for {@code workloads().exit(0)} implements the interface (the controller is removed
     * and closed unprepared); {@code GRACEFUL_STOP} is presumed; {@code UPDATE_REJECTION} is
     * not (swarmkit's reference controller accepts updates). Override to declare exactly,
     * for example {@code EnumSet.allOf(Capability.class)}.
     */
    protected Set<Capability> capabilities() {
        if (detected == null) {
            detected =
                    CapabilityDetector.detect(
                            provider(), options(), workloads(), settings().callTimeout());
        }
        return detected;
    }

    /**
     * What the kit can see of the resources the backend holds for a task, for rules RS-1,
     * RS-2, RS-3 and RS-5. {@link ResourceProbe#none()} by default, which skips those rules:
     * only the backend's author knows where its processes, containers or files live. Rule
     * RS-4 (no thread outlives {@code Executor.close}) needs no probe and always runs.
     */
    protected ResourceProbe resources() {
        return ResourceProbe.none();
    }

    /** The LC rules, one dynamic test each (the same for every family below). */
    @TestFactory
    @DisplayName("LC lifecycle")
    @Order(1)
    public final Stream<DynamicTest> lifecycle() {
        return tests(Family.LC);
    }

    /** The ID rules, one dynamic test each. */
    @TestFactory
    @DisplayName("ID idempotency")
    @Order(2)
    public final Stream<DynamicTest> idempotency() {
        return tests(Family.ID);
    }

    /** The CX rules, one dynamic test each. */
    @TestFactory
    @DisplayName("CX cancellation and interruption")
    @Order(3)
    public final Stream<DynamicTest> cancellation() {
        return tests(Family.CX);
    }

    /** The EX rules, one dynamic test each. */
    @TestFactory
    @DisplayName("EX exit codes and status")
    @Order(4)
    public final Stream<DynamicTest> exitCodes() {
        return tests(Family.EX);
    }

    /** The LG rules, one dynamic test each. */
    @TestFactory
    @DisplayName("LG logs")
    @Order(5)
    public final Stream<DynamicTest> logs() {
        return tests(Family.LG);
    }

    /** The RS rules, one dynamic test each. */
    @TestFactory
    @DisplayName("RS resources released")
    @Order(6)
    public final Stream<DynamicTest> resourcesReleased() {
        return tests(Family.RS);
    }

    /** The ER rules, one dynamic test each. */
    @TestFactory
    @DisplayName("ER bad input")
    @Order(7)
    public final Stream<DynamicTest> badInput() {
        return tests(Family.ER);
    }

    /** The RC rules, one dynamic test each. */
    @TestFactory
    @DisplayName("RC recovery after the agent is gone")
    @Order(8)
    public final Stream<DynamicTest> recovery() {
        return tests(Family.RC);
    }

    /** The settings the kit runs with; the runner supplies its own. */
    KitSettings settings() {
        return KitSettings.fromSystemProperties();
    }

    /** Which rules to run; all of them, except through a runner asked for fewer. */
    Predicate<Rule> selected() {
        return rule -> true;
    }

    private Stream<DynamicTest> tests(Family family) {
        return Kit.dynamicTests(family, this::subject, selected());
    }

    private Subject subject() {
        return new Subject(
                provider(), options(), workloads(), capabilities(), resources(), settings());
    }
}
