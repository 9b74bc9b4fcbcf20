package dev.taskexec.conformance;

import static org.apiguardian.api.API.Status.STABLE;

import dev.taskexec.api.ExecutorProvider;
import dev.taskexec.conformance.check.CapabilityDetector;
import dev.taskexec.conformance.check.KitSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apiguardian.api.API;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs the conformance kit without JUnit wiring — for the {@code taskexec conformance}
 * command and for tools — and returns a {@link ConformanceReport}. It launches the
 * same tests as {@link ExecutorConformance} through the JUnit Platform launcher, in
 * the calling thread's JVM, so the JUnit Jupiter engine must be on the class path
 * (this artifact depends on it).
 *
 * <pre>{@code
 * ConformanceReport report = ConformanceRunner.forProvider(new MyProvider())
 *         .workloads(Workloads.posixShell())
 *         .onRule(result -> System.out.println(result.outcome() + " " + result.rule().id()))
 *         .run();
 * System.out.print(report.toText());
 * }</pre>
 *
 * <p>A runner is a mutable, single-threaded builder; {@link #run()} may be called more
 * than once, and several runners may run at the same time in one JVM.
 */
@API(status = STABLE, since = "0.1")
public final class ConformanceRunner {

    private final ExecutorProvider provider;
    private Map<String, String> options = Map.of();
    private Workloads workloads = Workloads.posixShell();
    private Set<Capability> capabilities;
    private ResourceProbe probe = ResourceProbe.none();
    private KitSettings settings = KitSettings.fromSystemProperties();
    private Predicate<Rule> selected = rule -> true;
    private Consumer<RuleResult> progress = result -> {};

    private ConformanceRunner(ExecutorProvider provider) {
        this.provider = Objects.requireNonNull(provider, "provider");
    }

    /**
     * A runner for this provider, with no options, {@link Workloads#posixShell()}, detected
     * capabilities, no resource probe, and settings from the system properties.
     *
     * @throws IllegalArgumentException naming the property if a {@code taskexec.conformance.*}
     *     system property is malformed
     */
    public static ConformanceRunner forProvider(ExecutorProvider provider) {
        return new ConformanceRunner(provider);
    }

    /** The options every executor is created with. */
    public ConformanceRunner options(Map<String, String> options) {
        this.options = Map.copyOf(options);
        return this;
    }

    /** How the backend runs the kit's workloads. */
    public ConformanceRunner workloads(Workloads workloads) {
        this.workloads = Objects.requireNonNull(workloads, "workloads");
        return this;
    }

    /**
     * The optional capabilities the backend declares; rules depending on others are skipped.
     * Without this call they are detected as {@link ExecutorConformance#capabilities()}
     * describes.
     */
    public ConformanceRunner capabilities(Set<Capability> capabilities) {
        this.capabilities = Set.copyOf(capabilities);
        return this;
    }

    /** What the kit can see of the backend's resources (RS-1, RS-2, RS-3, RS-5). */
    public ConformanceRunner resources(ResourceProbe probe) {
        this.probe = Objects.requireNonNull(probe, "probe");
        return this;
    }

    /**
     * Examples per property test (default 10, or {@code -Dtaskexec.conformance.examples}).
     *
     * @throws IllegalArgumentException if {@code examples} is less than 1
     */
    public ConformanceRunner examples(int examples) {
        this.settings = settings.withExamples(examples);
        return this;
    }

    /** The property tests' seed, to replay a failure. */
    public ConformanceRunner seed(long seed) {
        this.settings = settings.withSeed(seed);
        return this;
    }

    /**
     * The deadline of every call into the backend (default 30 s).
     *
     * @throws IllegalArgumentException if it is not positive
     */
    public ConformanceRunner callTimeout(Duration callTimeout) {
        this.settings = settings.withCallTimeout(callTimeout);
        return this;
    }

    /**
     * Runs only the rules with these ids.
     *
     * @throws java.util.NoSuchElementException if an id names no rule
     */
    public ConformanceRunner rules(String... ids) {
        Set<String> wanted = new HashSet<>();
        for (String id : ids) {
            wanted.add(Rules.byId(id).id());
        }
        this.selected = rule -> wanted.contains(rule.id());
        return this;
    }

    /**
     * Called with each rule's result as soon as its check ends, on the thread that
     * calls {@link #run()}; for progress output. An exception it throws is ignored.
     */
    public ConformanceRunner onRule(Consumer<RuleResult> progress) {
        this.progress = Objects.requireNonNull(progress, "progress");
        return this;
    }

    /**
     * Runs the selected rules, one after another, and returns the report. Blocks for
     * as long as the checks take (typically a minute or two against a real backend).
     * Never throws for anything the backend does: a backend failure is a failed rule.
     *
     * @throws IllegalStateException if the JUnit Platform cannot run the kit (no Jupiter engine)
     */
    public ConformanceReport run() {
        String id = UUID.randomUUID().toString();
        Predicate<Rule> chosen = selected;
        Set<Capability> declared =
                capabilities != null
                        ? capabilities
                        : CapabilityDetector.detect(
                                provider, options, workloads, settings.callTimeout());
        RunnerConformance.register(
                id,
                new RunnerConformance.Run(
                        provider, options, workloads, declared, probe, settings, chosen));
        Collector collector = new Collector(progress);
        Instant started = Instant.now();
        long begin = System.nanoTime();
        try {
            LauncherDiscoveryRequest request =
                    LauncherDiscoveryRequestBuilder.request()
                            .selectors(DiscoverySelectors.selectClass(RunnerConformance.class))
                            .configurationParameter(RunnerConformance.RUN_PARAMETER, id)
                            .configurationParameter(
                                    "junit.jupiter.execution.parallel.enabled", "false")
                            .build();
            Launcher launcher = LauncherFactory.create();
            launcher.execute(request, collector);
        } finally {
            RunnerConformance.unregister(id);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - begin);
        List<RuleResult> results = new ArrayList<>();
        for (Rule rule : Rules.all()) {
            if (!chosen.test(rule)) {
                continue;
            }
            RuleResult result = collector.results.get(rule.id());
            results.add(
                    result != null
                            ? result
                            : new RuleResult(
                                    rule,
                                    RuleResult.Outcome.FAILED,
                                    rule.id()
                                            + ": not run"
                                            + collector
                                                    .containerFailure()
                                                    .map(f -> ": " + f)
                                                    .orElse(""),
                                    Duration.ZERO));
        }
        results.sort(Comparator.comparingInt(r -> Rules.all().indexOf(r.rule())));
        return new ConformanceReport(safeName(), workloads.toString(), started, took, results);
    }

    private String safeName() {
        try {
            return String.valueOf(provider.name());
        } catch (RuntimeException e) {
            return provider.getClass().getName();
        }
    }

    /** Turns JUnit's execution events into rule results. */
    private static final class Collector implements TestExecutionListener {

        private final Consumer<RuleResult> progress;
        private final Map<String, RuleResult> results = new LinkedHashMap<>();
        private final Map<String, Long> startedAt = new ConcurrentHashMap<>();
        private final List<String> containerFailures = new ArrayList<>();

        Collector(Consumer<RuleResult> progress) {
            this.progress = progress;
        }

        Optional<String> containerFailure() {
            return containerFailures.isEmpty()
                    ? Optional.empty()
                    : Optional.of(String.join("; ", containerFailures));
        }

        @Override
        public void executionStarted(TestIdentifier test) {
            startedAt.put(test.getUniqueId(), System.nanoTime());
        }

        @Override
        public void executionSkipped(TestIdentifier test, String reason) {
            ruleOf(test)
                    .ifPresent(
                            rule ->
                                    record(
                                            new RuleResult(
                                                    rule,
                                                    RuleResult.Outcome.SKIPPED,
                                                    rule.id() + ": " + reason,
                                                    Duration.ZERO)));
        }

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            Long start = startedAt.remove(test.getUniqueId());
            Duration took =
                    start == null ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - start);
            Optional<Rule> rule = ruleOf(test);
            String message =
                    result.getThrowable().map(t -> String.valueOf(t.getMessage())).orElse("");
            if (rule.isEmpty()) {
                if (!test.isTest() && result.getStatus() == TestExecutionResult.Status.FAILED) {
                    containerFailures.add(test.getDisplayName() + ": " + message);
                }
                return;
            }
            RuleResult.Outcome outcome =
                    switch (result.getStatus()) {
                        case SUCCESSFUL -> RuleResult.Outcome.PASSED;
                        case ABORTED -> RuleResult.Outcome.SKIPPED;
                        case FAILED -> RuleResult.Outcome.FAILED;
                    };
            record(
                    new RuleResult(
                            rule.get(),
                            outcome,
                            outcome == RuleResult.Outcome.PASSED ? "" : message,
                            took));
        }

        private void record(RuleResult result) {
            results.put(result.rule().id(), result);
            try {
                progress.accept(result);
            } catch (RuntimeException ignored) {
                // Progress output must not change the verdict.
            }
        }

        private static Optional<Rule> ruleOf(TestIdentifier test) {
            if (!test.isTest()) {
                return Optional.empty();
            }
            String name = test.getDisplayName();
            int space = name.indexOf(' ');
            return Rules.find(space < 0 ? name : name.substring(0, space));
        }
    }
}
