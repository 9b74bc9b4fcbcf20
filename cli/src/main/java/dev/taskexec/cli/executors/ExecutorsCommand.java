package dev.taskexec.cli.executors;

import dev.taskexec.cli.Backends;
import dev.taskexec.cli.DebugOption;
import dev.taskexec.cli.DurationArgument;
import dev.taskexec.cli.ExitCodes;
import dev.taskexec.cli.VersionProvider;
import dev.taskexec.core.ExecutorRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code taskexec executors}: the backends installed, with where each came from and whether it can
 * run tasks here.
 *
 * <p>A backend "runs here" when it can be created with its default options and answers
 * {@code describe()} within the timeout; backends are probed concurrently, so the listing takes at
 * most about one timeout. Its exit code is 0 whether or not a backend can run (listing succeeded);
 * 1 when the installed backends conflict.
 */
@Command(
        name = "executors",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description =
                "Lists the executor backends installed: name, description, the jar it came from, and whether "
                        + "it can run tasks here (created with its defaults, it answers describe(); for docker: the daemon "
                        + "is reachable). Then lists each backend's -o options.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  taskexec executors",
            "  taskexec executors --timeout 2s",
            "  TASKEXEC_CLASSPATH=my-backend.jar taskexec executors   # a plugin, not installed",
            "",
            "A plugin is a jar with META-INF/services/dev.taskexec.api.ExecutorProvider: put it in the",
            "plugins/ folder next to bin/, or name it in TASKEXEC_CLASSPATH (':'-separated).",
        })
public final class ExecutorsCommand implements Callable<Integer> {

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "5s",
            converter = DurationArgument.class,
            description = "How long each backend may take to answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin DebugOption debug;

    @Override
    public Integer call() throws InterruptedException {
        PrintStream out = System.out;
        ExecutorRegistry registry = Backends.registry(ExitCodes.FAILURE);
        List<ExecutorRegistry.Entry> entries = registry.providers();
        if (entries.isEmpty()) {
            out.println("No executor backends are installed (none found on the class path).");
            return ExitCodes.OK;
        }
        List<Thread> probes = new ArrayList<>();
        Availability[] answers = new Availability[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            int index = i;
            probes.add(
                    Thread.ofVirtual()
                            .start(
                                    () -> {
                                        try {
                                            answers[index] =
                                                    Availability.probe(entries.get(index), timeout);
                                        } catch (InterruptedException e) {
                                            answers[index] = new Availability(false, "interrupted");
                                        }
                                    }));
        }
        for (Thread probe : probes) {
            probe.join(timeout.plusSeconds(5)); // probe() itself is bounded by the timeout
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "DESCRIPTION", "SOURCE", "RUNS HERE"});
        String ownJar = ownLocation();
        for (int i = 0; i < entries.size(); i++) {
            ExecutorRegistry.Entry e = entries.get(i);
            Availability a = answers[i] != null ? answers[i] : new Availability(false, "no answer");
            String runs =
                    a.usable()
                            ? "yes" + (a.detail().isEmpty() ? "" : " (" + a.detail() + ")")
                            : "no: " + a.detail();
            rows.add(new String[] {e.name(), e.description(), source(e.source(), ownJar), runs});
        }
        printTable(out, rows);
        printOptions(out, entries);
        return ExitCodes.OK;
    }

    private static void printTable(PrintStream out, List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                line.append(row[c]);
                if (c < columns - 1) {
                    line.append(" ".repeat(width[c] - row[c].length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static void printOptions(PrintStream out, List<ExecutorRegistry.Entry> entries) {
        List<String[]> rows = new ArrayList<>();
        for (ExecutorRegistry.Entry e : entries) {
            e.provider()
                    .options()
                    .forEach(
                            (key, description) ->
                                    rows.add(new String[] {e.name(), key, description}));
        }
        if (rows.isEmpty()) {
            return;
        }
        out.println();
        out.println("Options (-o KEY=VALUE):");
        rows.add(0, new String[] {"EXECUTOR", "OPTION", "MEANING"});
        printTable(out, rows.stream().map(r -> new String[] {"  " + r[0], r[1], r[2]}).toList());
    }

    /** Built-in backends say so instead of repeating the command's own jar path. */
    private static String source(String source, String ownJar) {
        if (ownJar != null && source.endsWith(ownJar)) {
            return "built in (" + Path.of(ownJar).getFileName() + ")";
        }
        return source;
    }

    private static String ownLocation() {
        CodeSource code = ExecutorsCommand.class.getProtectionDomain().getCodeSource();
        if (code == null
                || code.getLocation() == null
                || !"file".equals(code.getLocation().getProtocol())) {
            return null;
        }
        try {
            Path p = Path.of(code.getLocation().toURI());
            return p.toString().endsWith(".jar") ? p.toString() : null;
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
