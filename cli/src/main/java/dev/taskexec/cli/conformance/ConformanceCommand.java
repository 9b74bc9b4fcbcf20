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
 * writing the JSON report.
 *
 * <p><b>Verdict and exit code.</b> Exit 0 only when every required rule that ran passed. Optional
 * rules depend on a capability ({@link Capability}): with {@code --capabilities} the backend
 * declares which it offers, and the rules of those must pass as well; without it the kit checks
 * them all, but a failed optional rule then only says the backend lacks that capability and does
 * not fail the run, since the command cannot know what a plugin means to offer. Rules that need a
 * resource probe (RS-1, RS-2, RS-3, RS-5) are skipped: a probe is code only the backend's author can
 * write, for their own conformance test.
 *
 * <p><b>Workloads.</b> The {@code fake} backend gets the kit's fake scripts; every other backend
 * gets POSIX shell scripts, inside {@code --image} when given (container backends need one).
 * {@code --workloads} chooses explicitly (a plugin built on the fake backend needs {@code fake}).
 */
@Command(name = "conformance",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = VersionProvider.class,
        description = "Certifies an executor backend with the conformance kit: runs every rule, shows each result "
                + "as it ends, prints a summary, and writes the report as JSON. Exits 0 only if every required "
                + "rule passes.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  taskexec conformance -e process",
            "  taskexec conformance -e docker --image taskexec-test:latest --report docker.json",
            "  taskexec conformance -e fake --rules LC-1,EX-2",
            "  TASKEXEC_CLASSPATH=my-backend.jar taskexec conformance -e my-backend --capabilities LOGS",
            "  taskexec conformance -e my-fake-based-backend --workloads fake",
            "",
            "The rules are explained in conformance-tests/RULES.md.",
        })
public final class ConformanceCommand implements Callable<Integer> {

    @Option(names = {"-e", "--executor"}, paramLabel = "NAME", required = true,
            description = "The backend to certify. See 'taskexec executors'.")
    String executor;

    @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE", converter = KeyValue.Converter.class,
            description = "An option every executor of the backend is created with; repeatable.")
    List<KeyValue> executorOptions = new ArrayList<>();

    @Option(names = "--image", paramLabel = "IMAGE",
            description = "Run the kit's shell workloads in this image (container backends need one).")
    String image;

    /** Which of the kit's workload families to run. */
    enum WorkloadKind { shell, fake }

    @Option(names = "--workloads", paramLabel = "KIND",
            description = "The kit's workloads: shell (POSIX sh scripts) or fake (scripts of the fake backend). "
                    + "Default: fake for the fake backend, shell for every other.")
    WorkloadKind workloadKind;

    @Option(names = "--report", paramLabel = "FILE.json", description = "Write the report to this file as JSON.")
    Path report;

    @Option(names = "--capabilities", paramLabel = "CAP", split = ",",
            description = "The optional capabilities the backend offers, whose rules must then pass: LOGS, "
                    + "CONTAINER_STATUS, PORT_STATUS, GRACEFUL_STOP, UPDATE_REJECTION, or none. "
                    + "Default: check them all, but a failure only marks the capability unsupported.")
    List<String> capabilities;

    @Option(names = "--rules", paramLabel = "ID", split = ",", description = "Run only these rules, such as LC-1,EX-2.")
    List<String> rules;

    @Option(names = "--seed", paramLabel = "N", description = "The property tests' seed, to replay a failure.")
    Long seed;

    @Mixin
    DebugOption debug;

    @Override
    public Integer call() throws InterruptedException {
        ExecutorRegistry registry = Backends.registry(ExitCodes.FAILURE);
        ExecutorRegistry.Entry entry = registry.find(executor).orElseThrow(() -> new CommandException(ExitCodes.FAILURE,
                "no executor named '" + executor + "'; available: " + String.join(", ", registry.names())));
        Map<String, String> options = KeyValue.toMap(executorOptions, "-o", ExitCodes.USAGE);
        Set<Capability> declared = declaredCapabilities();
        boolean strictOptional = capabilities != null;
        Workloads workloads = workloads(entry.name());
        Preflight.check(registry, entry.name(), options, workloads, hint(entry.name()));

        ConformanceRunner runner = ConformanceRunner.forProvider(entry.provider())
                .options(options)
                .workloads(workloads)
                .capabilities(declared);
        if (rules != null) {
            try {
                runner.rules(rules.toArray(String[]::new));
            } catch (NoSuchElementException | IllegalArgumentException e) {
                throw new CommandException(ExitCodes.USAGE, "--rules: " + Backends.oneLine(e)
                        + " (rules: " + String.join(", ", Rules.all().stream().map(Rule::id).toList()) + ")", e);
            }
        }
        if (seed != null) {
            runner.seed(seed);
        }
        PrintStream out = System.out;
        int total = rules == null ? Rules.all().size() : rules.size();
        AtomicInteger done = new AtomicInteger();
        out.println("Certifying executor '" + entry.name() + "' (" + entry.source() + ") against " + total
                + " rules; this takes a minute or two.");
        runner.onRule(result -> out.println(progressLine(done.incrementAndGet(), total, result)));
        ConformanceReport result = runner.run();

        if (report != null) {
            writeReport(result);
        }
        out.println();
        Summary.print(out, result, strictOptional);
        boolean certified = Summary.certified(result, strictOptional);
        out.println(certified
                ? "Executor '" + entry.name() + "' CONFORMS: every required rule"
                        + (strictOptional ? " and every rule of its declared capabilities" : "") + " passed."
                : "Executor '" + entry.name() + "' DOES NOT CONFORM: see the failed rules above.");
        if (report != null) {
            out.println("Report written to " + report);
        }
        return certified ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private Set<Capability> declaredCapabilities() {
        if (capabilities == null) {
            // RECOVERY is left to an explicit declaration: re-adoption across executor instances
            // can depend on options (the fake needs -o runtime=NAME) that a default cannot know.
            Set<Capability> all = EnumSet.allOf(Capability.class);
            all.remove(Capability.RECOVERY);
            return all;
        }
        Set<Capability> set = EnumSet.noneOf(Capability.class);
        for (String name : capabilities) {
            if (name.equalsIgnoreCase("none")) {
                continue;
            }
            try {
                set.add(Capability.valueOf(name.strip().toUpperCase(Locale.ROOT).replace('-', '_')));
            } catch (IllegalArgumentException e) {
                throw new CommandException(ExitCodes.USAGE, "--capabilities: no capability named '" + name
                        + "'; known: " + String.join(", ", EnumSet.allOf(Capability.class).stream().map(Enum::name).toList())
                        + ", none");
            }
        }
        return set;
    }

    private Workloads workloads(String name) {
        WorkloadKind kind = workloadKind != null ? workloadKind : name.equals("fake") ? WorkloadKind.fake : WorkloadKind.shell;
        if (kind == WorkloadKind.fake) {
            if (image != null) {
                throw new CommandException(ExitCodes.USAGE, "--image applies to the shell workloads, not to --workloads fake");
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

    private void writeReport(ConformanceReport result) {
        try {
            Path parent = report.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(report, result.toJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CommandException(ExitCodes.FAILURE, "cannot write the report to " + report + ": " + Backends.oneLine(e), e);
        }
    }

    private static String progressLine(int done, int total, RuleResult result) {
        String mark = switch (result.outcome()) {
            case PASSED -> "PASS";
            case FAILED -> "FAIL";
            case SKIPPED -> "SKIP";
        };
        String width = String.valueOf(total);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "[%" + width.length() + "d/%s] %s %-6s %s (%.1f s)",
                done, width, mark, result.rule().id(), result.rule().title(), result.duration().toMillis() / 1000.0));
        if (result.outcome() != RuleResult.Outcome.PASSED && !result.message().isBlank()) {
            line.append("\n").append(" ".repeat(2 * width.length() + 4))
                    .append(result.message().strip().lines().findFirst().orElse(""));
        }
        return line.toString();
    }

    /** The summary table: one row per rule family, then the verdict. */
    static final class Summary {

        private Summary() {}

        static boolean certified(ConformanceReport report, boolean strictOptional) {
            return report.failed().stream().noneMatch(r -> strictOptional || r.rule().required());
        }

        static void print(PrintStream out, ConformanceReport report, boolean strictOptional) {
            Map<String, int[]> byFamily = new LinkedHashMap<>();
            for (RuleResult r : report.results()) {
                String family = r.rule().id().substring(0, r.rule().id().indexOf('-'));
                int[] counts = byFamily.computeIfAbsent(family, f -> new int[4]);
                switch (r.outcome()) {
                    case PASSED -> counts[0]++;
                    case FAILED -> counts[r.rule().required() || strictOptional ? 1 : 2]++;
                    case SKIPPED -> counts[3]++;
                }
            }
            String format = "%-8s %7s %7s %12s %8s%n";
            out.printf(Locale.ROOT, format, "FAMILY", "PASSED", "FAILED", "UNSUPPORTED", "SKIPPED");
            int[] totals = new int[4];
            byFamily.forEach((family, c) -> {
                out.printf(Locale.ROOT, format, family, c[0], c[1], c[2], c[3]);
                for (int i = 0; i < 4; i++) {
                    totals[i] += c[i];
                }
            });
            out.printf(Locale.ROOT, format, "total", totals[0], totals[1], totals[2], totals[3]);
            List<RuleResult> failed = report.failed();
            if (!failed.isEmpty()) {
                out.println();
                for (RuleResult r : failed) {
                    boolean counts = strictOptional || r.rule().required();
                    out.println((counts ? "FAILED      " : "UNSUPPORTED ") + r.rule().id() + " " + r.rule().title()
                            + r.rule().capability().map(c -> " [" + c.name() + "]").orElse(""));
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
