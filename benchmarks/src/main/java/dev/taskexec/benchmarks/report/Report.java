package dev.taskexec.benchmarks.report;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a JMH JSON result file into a Markdown report: where and how it was measured, the
 * table of {@link MarkdownTable}, and what the ratio means. {@code benchmarks/run.sh} calls it
 * after every run:
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.taskexec.benchmarks.report.Report \
 *     RESULTS.json [--out REPORT.md] [--command "what was run"]
 * }</pre>
 *
 * <p>The report goes to standard output, and also to {@code --out} when given. The machine line
 * describes the machine the report runs on, which {@code run.sh} makes the one that ran the
 * benchmarks. Exit status: 0 on success, 1 when the result file cannot be read or is not JMH
 * output (one line on standard error, no stack trace), 2 on a usage error.
 */
public final class Report {

    private Report() {}

    /** Command-line entry point; see the class documentation. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** {@link #main} without the exit, for tests: returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Path input = null;
        Path output = null;
        String command = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--out", "--command" -> {
                    if (i + 1 >= args.length) {
                        err.println("report: " + a + " needs a value");
                        return usage(err);
                    }
                    if (a.equals("--out")) {
                        output = Path.of(args[++i]);
                    } else {
                        command = args[++i];
                    }
                }
                case "-h", "--help" -> {
                    usage(out);
                    return 0;
                }
                default -> {
                    if (a.startsWith("-") || input != null) {
                        err.println("report: unexpected argument '" + a + "'");
                        return usage(err);
                    }
                    input = Path.of(a);
                }
            }
        }
        if (input == null) {
            err.println("report: no result file given");
            return usage(err);
        }
        String markdown;
        try {
            List<JmhResult> run =
                    JmhResult.parseAll(Files.readString(input, StandardCharsets.UTF_8));
            markdown = render(input.getFileName().toString(), run, command, machine());
        } catch (NoSuchFileException e) {
            err.println("report: no such file: " + input);
            return 1;
        } catch (IOException e) {
            err.println("report: cannot read " + input + ": " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("report: " + input + ": " + e.getMessage());
            return 1;
        }
        out.print(markdown);
        out.flush();
        if (output != null) {
            try {
                Files.writeString(output, markdown, StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("report: cannot write " + output + ": " + e.getMessage());
                return 1;
            }
        }
        return 0;
    }

    /** The whole report for one run; {@code command} may be null. */
    static String render(String source, List<JmhResult> run, String command, String machine) {
        StringBuilder md = new StringBuilder();
        md.append("## Benchmark results (").append(source).append(")\n\n");
        if (command != null) {
            md.append("Command: `").append(command).append("`  \n");
        }
        md.append("Machine: ").append(machine).append("\n\n");
        if (run.isEmpty()) {
            md.append("No results: the pattern matched no benchmark.\n");
            return md.toString();
        }
        md.append(MarkdownTable.render(run)).append('\n');
        md.append(
                "Alloc B/op is JMH's `gc.alloc.rate.norm` (`-prof gc`). The cost ratio is the measured "
                        + "method's time per operation divided by its baseline's, from the same run "
                        + "(1.00\u00d7 = as fast as the baseline); in brackets, the bytes per operation it allocates "
                        + "beyond the baseline.\n");
        Set<String> without = MarkdownTable.classesWithoutBaseline(run);
        if (!without.isEmpty()) {
            md.append("\nWithout a baseline: ");
            md.append(String.join(", ", without.stream().map(MarkdownTable::shortName).toList()));
            md.append(".\n");
        }
        return md.toString();
    }

    /** CPUs, memory, OS and kernel of this machine, plus the JDK running the report. */
    static String machine() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        String memory = "";
        if (os instanceof com.sun.management.OperatingSystemMXBean hotspot) {
            memory =
                    String.format(
                            Locale.ROOT,
                            ", %.1f GiB RAM",
                            hotspot.getTotalMemorySize() / (1024.0 * 1024 * 1024));
        }
        return String.format(
                Locale.ROOT,
                "%d CPUs%s%s, %s %s (%s), JDK %s (%s)",
                Runtime.getRuntime().availableProcessors(),
                cpuModel(),
                memory,
                System.getProperty("os.name"),
                System.getProperty("os.version"),
                System.getProperty("os.arch"),
                System.getProperty("java.runtime.version"),
                System.getProperty("java.vm.name"));
    }

    /** " (model name)" from Linux's /proc/cpuinfo, or nothing elsewhere. */
    private static String cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        try {
            // readAllLines, not lines(): /proc files report size 0, which lines() may trust.
            return Files.readAllLines(cpuinfo).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> " (" + l.substring(l.indexOf(':') + 1).trim() + ")")
                    .findFirst()
                    .orElse("");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static int usage(PrintStream to) {
        to.println(
                "usage: java -cp benchmarks.jar "
                        + Report.class.getName()
                        + " RESULTS.json [--out REPORT.md] [--command TEXT]");
        return 2;
    }
}
