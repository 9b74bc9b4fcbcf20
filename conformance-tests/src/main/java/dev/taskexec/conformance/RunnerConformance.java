package dev.taskexec.conformance;

import dev.taskexec.api.ExecutorProvider;
import dev.taskexec.conformance.check.KitSettings;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/**
 * The kit as {@link ConformanceRunner} launches it: the JUnit Platform cannot hand
 * objects to a test class, so the runner registers its run under an id, passes the
 * id as a configuration parameter, and this class's extension binds the run to the
 * test instance. Found by a class-path scan without a runner, it disables itself.
 */
@ExtendWith(RunnerConformance.Binding.class)
final class RunnerConformance extends ExecutorConformance {

    /** The configuration parameter carrying the run id. */
    static final String RUN_PARAMETER = "taskexec.conformance.run";

    private static final Map<String, Run> RUNS = new ConcurrentHashMap<>();

    private Run run;

    /** What one runner invocation asks for. */
    record Run(
            ExecutorProvider provider,
            Map<String, String> options,
            Workloads workloads,
            Set<Capability> capabilities,
            ResourceProbe probe,
            KitSettings settings,
            Predicate<Rule> selected) {}

    static void register(String id, Run run) {
        RUNS.put(id, run);
    }

    static void unregister(String id) {
        RUNS.remove(id);
    }

    @Override
    protected ExecutorProvider provider() {
        return run.provider();
    }

    @Override
    protected Workloads workloads() {
        return run.workloads();
    }

    @Override
    protected Map<String, String> options() {
        return run.options();
    }

    @Override
    protected Set<Capability> capabilities() {
        return run.capabilities();
    }

    @Override
    protected ResourceProbe resources() {
        return run.probe();
    }

    @Override
    KitSettings settings() {
        return run.settings();
    }

    @Override
    Predicate<Rule> selected() {
        return run.selected();
    }

    /** Binds the registered run to the test instance, or disables the class when there is none. */
    static final class Binding implements ExecutionCondition, TestInstancePostProcessor {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return find(context).isPresent()
                    ? ConditionEvaluationResult.enabled("launched by ConformanceRunner")
                    : ConditionEvaluationResult.disabled("runs only through ConformanceRunner");
        }

        @Override
        public void postProcessTestInstance(Object testInstance, ExtensionContext context) {
            ((RunnerConformance) testInstance).run =
                    find(context)
                            .orElseThrow(
                                    () ->
                                            new IllegalStateException(
                                                    "no ConformanceRunner run is registered"));
        }

        private static Optional<Run> find(ExtensionContext context) {
            return context.getConfigurationParameter(RUN_PARAMETER).map(RUNS::get);
        }
    }
}
