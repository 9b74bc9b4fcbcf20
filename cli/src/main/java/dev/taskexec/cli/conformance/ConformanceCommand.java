package dev.taskexec.cli.conformance;

import dev.taskexec.cli.Backends;
import dev.taskexec.cli.CommandException;
import dev.taskexec.cli.DebugOption;
import dev.taskexec.cli.ExitCodes;
import dev.taskexec.cli.KeyValue;
import dev.taskexec.cli.VersionProvider;
import dev.taskexec.conformance.Capability;
import dev.taskexec.conformance.ConformanceReport;
import dev.taskexec.conformance.ConformanceRunner;
import dev.taskexec.conformance.Rule;
import dev.taskexec.conformance.RuleResult;
import dev.taskexec.conformance.Rules;
import dev.taskexec.conformance.Workloads;
import dev.taskexec.core.ExecutorRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code taskexec conformance}: certifies an installed backend with the conformance kit
 * ({@link ConformanceRunner}), printing each rule's result as it ends, then a summary table, and
 * writing the report as JSON ({@code --report}) and as JUnit XML for CI ({@code --junit-xml},
 * {@link JUnitXml}).
 *
 * <p><b>Verdict and exit code.</b> The printed verdict, the exit code and the JSON report's
 * {@code conforms} are one and the same: the backend conforms (exit 0) when no rule that ran
 * failed; skipped rules do not count. Optional rules depend on a capability ({@link Capability}):
 * with {@code --capabilities} the backend declares which it offers, and the rules of those must
 * pass; without it the command does what a JUnit run does ({@code ExecutorConformance}): it detects
 * {@code LOGS}, {@code CONTAINER_STATUS} and {@code PORT_STATUS} from the interfaces a controller
 * implements, presumes {@code GRACEFUL_STOP}, and leaves out {@code UPDATE_REJECTION} and
 * {@code RECOVERY} (re-adoption can depend on options a default cannot know). Rules that
 * need a resource probe (RS-1, RS-2, RS-3, RS-5) are skipped: a probe is code only the backend's
 * author can write, for their own conformance test; RS-6, LC-12 and LC-13 look for leftover
 * processes without one.
 *
 * <p><b>Workloads.</b> The {@code fake} backend gets the kit's fake scripts; every other backend
 * gets POSIX shell scripts, inside {@code --image} when given (container backends need one).
 * {@code --workloads} chooses explicitly (a plugin built on the fake backend needs {@code fake}).
 */
@Command(
        name = "conformance",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = VersionProvider.class,
        description =
                "Certifies an executor backend with the conformance kit: runs every rule, shows each result "
                        + "as it ends, prints a summary, and writes the report as JSON. Exits 0 only if every required "
                        + "rule passes.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  taskexec conformance -e process",
            "  taskexec conformance -e docker --image taskexec-test:latest --report docker.json",
            "  taskexec conformance -e process --junit-xml target/conformance/TEST-process.xml",
            "  taskexec conformance -e fake --rules LC-1,EX-2",
            "  TASKEXEC_CLASSPATH=my-backend.jar taskexec conformance -e my-backend --capabilities LOGS",
            "  taskexec conformance -e my-fake-based-backend --workloads fake",
            "",
            "The rules are explained in conformance-tests/RULES.md.",
        })
public final class ConformanceCommand implements Callable<Integer> {

    @Option(
            names = {"-e", "--executor"},
            paramLabel = "NAME",
            required = true,
            description = "The backend to certify. See 'taskexec executors'.")
    String executor;

    @Option(
            names = {"-o", "--option"},
            paramLabel = "KEY=VALUE",
            converter = KeyValue.Converter.class,
            description = "An option every executor of the backend is created with; repeatable.")
    List<KeyValue> executorOptions = new ArrayList<>();

    @Option(
            names = "--image",
            paramLabel = "IMAGE",
            description =
                    "Run the kit's shell workloads in this image (container backends need one).")
    String image;

    /** Which of the kit's workload families to run. */
    enum WorkloadKind {
        shell,
        fake
    }

    @Option(
            names = "--workloads",
            paramLabel = "KIND",
            description =
                    "The kit's workloads: shell (POSIX sh scripts) or fake (scripts of the fake backend). "
                            + "Default: fake for the fake backend, shell for every other.")
    WorkloadKind workloadKind;

    @Option(
            names = "--report",
            paramLabel = "FILE.json",
            description = "Write the report to this file as JSON.")
    Path report;

    @Option(
            names = "--junit-xml",
            paramLabel = "FILE.xml",
            description =
                    "Also write the report as JUnit XML, for CI test reporters: one test case per rule, "
                            + "skipped when the kit skipped it (or, without --capabilities, when an optional rule failed).")
    Path junitXml;

    @Option(
            names = "--capabilities",
            paramLabel = "CAP",
            split = ",",
            description =
                    "The optional capabilities the backend offers, whose rules must then pass: LOGS, "
                            + "CONTAINER_STATUS, PORT_STATUS, GRACEFUL_STOP, UPDATE_REJECTION, RECOVERY, or none. "
                            + "Default: as a JUnit run, detected from the controller's interfaces (LOGS, CONTAINER_STATUS, "
                            + "PORT_STATUS), GRACEFUL_STOP presumed, UPDATE_REJECTION and RECOVERY left out.")
    List<String> capabilities;

    @Option(
            names = "--rules",
            paramLabel = "ID",
            split = ",",
            description = "Run only these rules, such as LC-1,EX-2.")
    List<String> rules;

    @Option(
            names = "--seed",
            paramLabel = "N",
            description = "The property tests' seed, to replay a failure.")
    Long seed;

    @Mixin DebugOption debug;

    @Override
    public Integer call() throws InterruptedException {
        ExecutorRegistry registry = Backends.registry(ExitCodes.FAILURE);
        ExecutorRegistry.Entry entry;
        try {
            entry = registry.require(executor);
        } catch (IllegalArgumentException e) {
            throw new CommandException(
                    ExitCodes.FAILURE, e.getMessage(), e); // it lists the names available
        }
        Map<String, String> options = KeyValue.toMap(executorOptions, "-o", ExitCodes.USAGE);
        Workloads workloads = workloads(entry.name());
        Preflight.check(registry, entry.name(), options, workloads, hint(entry.name()));

        ConformanceRunner runner =
                ConformanceRunner.forProvider(entry.provider())
                        .options(options)
                        .workloads(workloads);
        if (capabilities != null) {
            runner.capabilities(declaredCapabilities());
        }
        if (rules != null) {
            try {
                runner.rules(rules.toArray(String[]::new));
            } catch (NoSuchElementException | IllegalArgumentException e) {
                throw new CommandException(
                        ExitCodes.USAGE,
                        "--rules: "
                                + Backends.oneLine(e)
                                + " (rules: "
                                + String.join(", ", Rules.all().stream().map(Rule::id).toList())
                                + ")",
                        e);
            }
        }
        if (seed != null) {
            runner.seed(seed);
        }
        PrintStream out = System.out;
        int total = rules == null ? Rules.all().size() : rules.size();
        AtomicInteger done = new AtomicInteger();
        out.println(
                "Certifying executor '"
                        + entry.name()
                        + "' ("
                        + entry.source()
                        + ") against "
                        + total
                        + " rules; this takes a minute or two.");
        runner.onRule(result -> out.println(progressLine(done.incrementAndGet(), total, result)));
        ConformanceReport result = runner.run();

        if (report != null) {
            write(report, "--report", result.toJson());
        }
        if (junitXml != null) {
            write(junitXml, "--junit-xml", JUnitXml.of(result));
        }
        out.println();
        Summary.print(out, result);
        boolean certified = Summary.certified(result);
        out.println(
                certified
                        ? "Executor '"
                                + entry.name()
                                + "' CONFORMS: no rule failed ("
                                + result.passed().size()
                                + " passed, "
                                + result.skipped().size()
                                + " skipped)."
                        : "Executor '"
                                + entry.name()
                                + "' DOES NOT CONFORM: see the failed rules above.");
        if (report != null) {
            out.println("Report written to " + report);
        }
        if (junitXml != null) {
            out.println("JUnit XML report written to " + junitXml);
        }
        return certified ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private Set<Capability> declaredCapabilities() {
        Set<Capability> set = EnumSet.noneOf(Capability.class);
        for (String name : capabilities) {
            if (name.equalsIgnoreCase("none")) {
                continue;
            }
            try {
                set.add(
                        Capability.valueOf(
                                name.strip().toUpperCase(Locale.ROOT).replace('-', '_')));
            } catch (IllegalArgumentException e) {
                throw new CommandException(
                        ExitCodes.USAGE,
                        "--capabilities: no capability named '"
                                + name
                                + "'; known: "
                                + String.join(
                                        ", ",
                                        EnumSet.allOf(Capability.class).stream()
                                                .map(Enum::name)
                                                .toList())
                                + ", none");
            }
        }
        return set;
    }

    private Workloads workloads(String name) {
        WorkloadKind kind =
                workloadKind != null
                        ? workloadKind
                        : name.equals("fake") ? WorkloadKind.fake : WorkloadKind.shell;
        if (kind == WorkloadKind.fake) {
            if (image != null) {
                throw new CommandException(
                        ExitCodes.USAGE,
                        "--image applies to the shell workloads, not to --workloads fake");
            }
            return Workloads.fake();
        }
        return image == null ? Workloads.posixShell() : Workloads.posixShell(image);
    }

    /** What to suggest when the backend refuses the kit's workloads. */
    private String hint(String name) {
        return image == null && !name.equals("fake") && workloadKind != WorkloadKind.fake
                ? " (a container backend needs --image IMAGE with sh, sleep, printf and kill, such as busybox;"
                        + " a backend built on the fake one needs --workloads fake)"
                : "";
    }

    private static void write(Path file, String option, String content) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CommandException(
                    ExitCodes.FAILURE,
                    option + ": cannot write the report to " + file + ": " + Backends.oneLine(e),
                    e);
        }
    }

    private static String progressLine(int done, int total, RuleResult result) {
        String mark =
                switch (result.outcome()) {
                    case PASSED -> "PASS";
                    case FAILED -> "FAIL";
                    case SKIPPED -> "SKIP";
                };
        String width = String.valueOf(total);
        StringBuilder line =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "[%" + width.length() + "d/%s] %s %-6s %s (%.1f s)",
                                done,
                                width,
                                mark,
                                result.rule().id(),
                                result.rule().title(),
                                result.duration().toMillis() / 1000.0));
        if (result.outcome() != RuleResult.Outcome.PASSED && !result.message().isBlank()) {
            line.append("\n")
                    .append(" ".repeat(2 * width.length() + 4))
                    .append(result.message().strip().lines().findFirst().orElse(""));
        }
        return line.toString();
    }

    /** The summary table: one row per rule family, then the verdict. */
    static final class Summary {

        private Summary() {}

        /** The verdict: the report's own, so the exit code and the JSON report cannot disagree. */
        static boolean certified(ConformanceReport report) {
            return report.conforms();
        }

        static void print(PrintStream out, ConformanceReport report) {
            Map<String, int[]> byFamily = new LinkedHashMap<>();
            for (RuleResult r : report.results()) {
                String family = r.rule().id().substring(0, r.rule().id().indexOf('-'));
                int[] counts = byFamily.computeIfAbsent(family, f -> new int[3]);
                switch (r.outcome()) {
                    case PASSED -> counts[0]++;
                    case FAILED -> counts[1]++;
                    case SKIPPED -> counts[2]++;
                }
            }
            String format = "%-8s %7s %7s %8s%n";
            out.printf(Locale.ROOT, format, "FAMILY", "PASSED", "FAILED", "SKIPPED");
            int[] totals = new int[3];
            byFamily.forEach(
                    (family, c) -> {
                        out.printf(Locale.ROOT, format, family, c[0], c[1], c[2]);
                        for (int i = 0; i < 3; i++) {
                            totals[i] += c[i];
                        }
                    });
            out.printf(Locale.ROOT, format, "total", totals[0], totals[1], totals[2]);
            List<RuleResult> failed = report.failed();
            if (!failed.isEmpty()) {
                out.println();
                for (RuleResult r : failed) {
                    out.println(
                            "FAILED      "
                                    + r.rule().id()
                                    + " "
                                    + r.rule().title()
                                    + r.rule()
                                            .capability()
                                            .map(c -> " [" + c.name() + "]")
                                            .orElse(""));
                    String first = r.message().strip().lines().findFirst().orElse("");
                    if (!first.isEmpty()) {
                        out.println("            " + first);
                    }
                }
            }
            out.println();
        }
    }
}
