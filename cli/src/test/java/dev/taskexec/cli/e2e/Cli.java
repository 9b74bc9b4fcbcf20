package dev.taskexec.cli.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs the built command ({@code cli/target/taskexec.jar}, or {@code bin/taskexec}) as a separate
 * process, the way a user does, and captures its stdout and stderr as they are written.
 *
 * <p>Every wait has a deadline: a hang fails the test with what the process printed so far, and
 * the process is killed.
 */
final class Cli implements AutoCloseable {

    /** The jar under test; failsafe passes its path (see cli/pom.xml). */
    static final Path JAR =
            Path.of(System.getProperty("taskexec.jar", "target/taskexec.jar")).toAbsolutePath();

    /** The repository root, for bin/taskexec. */
    static final Path ROOT =
            Path.of(System.getProperty("taskexec.root", "..")).toAbsolutePath().normalize();

    private final Process process;
    private final Drain out;
    private final Drain err;
    private final List<String> command;

    private Cli(List<String> command, Path directory, Map<String, String> env) throws IOException {
        this(command, directory, env, false);
    }

    private Cli(List<String> command, Path directory, Map<String, String> env, boolean keepStdin)
            throws IOException {
        this.command = command;
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().putAll(env);
        this.process = builder.start();
        if (!keepStdin) {
            process.getOutputStream().close();
        }
        this.out = new Drain(process.getInputStream());
        this.err = new Drain(process.getErrorStream());
    }

    /** Starts {@code java -jar taskexec.jar ARGS...} in the current directory. */
    static Cli start(String... args) throws IOException {
        return start(Path.of("").toAbsolutePath(), Map.of(), args);
    }

    /** Starts {@code java -jar taskexec.jar ARGS...} in {@code directory} with extra environment. */
    static Cli start(Path directory, Map<String, String> env, String... args) throws IOException {
        return start(directory, env, List.of(), args);
    }

    /** Starts {@code java JVM-OPTIONS -jar taskexec.jar ARGS...} in {@code directory}. */
    static Cli start(
            Path directory, Map<String, String> env, List<String> jvmOptions, String... args)
            throws IOException {
        return new Cli(jarCommand(jvmOptions, args), directory, env);
    }

    private static List<String> jarCommand(List<String> jvmOptions, String... args) {
        List<String> command =
                new ArrayList<>(List.of(javaBinary(), "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Starts {@code java -jar taskexec.jar ARGS...} on a pseudo-terminal, made by util-linux
     * {@code script}: the command's stdout and stderr are the terminal, and both arrive on
     * {@link #stdout()} (with the terminal's CR LF line ends).
     */
    static Cli onTerminal(String... args) throws IOException {
        StringBuilder shell = new StringBuilder();
        for (String word : jarCommand(List.of(), args)) {
            shell.append(shell.isEmpty() ? "" : " ")
                    .append('\'')
                    .append(word.replace("'", "'\\''"))
                    .append('\'');
        }
        return new Cli(
                List.of("script", "-qec", shell.toString(), "/dev/null"),
                Path.of("").toAbsolutePath(),
                Map.of());
    }

    /** Starts {@code java -jar taskexec.jar ARGS...} with its stdin a pipe the test writes ({@link #stdin()}). */
    static Cli startWithInput(String... args) throws IOException {
        return new Cli(jarCommand(List.of(), args), Path.of("").toAbsolutePath(), Map.of(), true);
    }

    /** The command's standard input, when started with {@link #startWithInput}. */
    java.io.OutputStream stdin() {
        return process.getOutputStream();
    }

    /** Starts {@code bin/taskexec ARGS...} in {@code directory} with extra environment. */
    static Cli launcher(Path directory, Map<String, String> env, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/taskexec").toString()));
        command.addAll(List.of(args));
        return new Cli(command, directory, env);
    }

    /** Runs {@code java -jar taskexec.jar ARGS...} to its end (at most {@code timeout}). */
    static Result run(Duration timeout, String... args) throws Exception {
        try (Cli cli = start(args)) {
            return cli.await(timeout);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The command's process id. */
    long pid() {
        return process.pid();
    }

    /** What it has written to stdout so far. */
    String stdout() {
        return out.text();
    }

    /** What it has written to stderr so far. */
    String stderr() {
        return err.text();
    }

    /**
     * Waits until stdout or stderr satisfies {@code condition}.
     *
     * @throws AssertionError when the deadline passes or the process ends first
     */
    void awaitOutput(String what, Predicate<Cli> condition, Duration timeout)
            throws InterruptedException {
        try {
            Poll.until(what, () -> condition.test(this) || !process.isAlive(), timeout);
        } catch (AssertionError e) {
            fail("no " + what + " within " + timeout + "\n" + transcript());
        }
        if (!condition.test(this)) {
            out.await(Duration.ofSeconds(5)); // the process ended: read what it wrote last
            err.await(Duration.ofSeconds(5));
            if (!condition.test(this)) {
                fail(
                        "the command ended (exit "
                                + process.exitValue()
                                + ") before "
                                + what
                                + "\n"
                                + transcript());
            }
        }
    }

    /** Stops reading the command's stdout and closes it, as {@code | head -1} does. */
    void closeStdout() throws IOException {
        process.getInputStream().close();
    }

    /** Sends SIGINT, as Ctrl-C in a terminal does. */
    void interrupt() throws Exception {
        signal("INT");
    }

    /** Sends a signal with kill(1), such as {@code INT} or {@code TERM}. */
    void signal(String name) throws Exception {
        Process kill =
                new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                        .inheritIO()
                        .start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            fail("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** Waits for the command to end and for its output to be read completely. */
    Result await(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            String transcript = transcript();
            process.destroyForcibly();
            fail("the command did not end within " + timeout + "\n" + transcript);
        }
        out.await(Duration.ofSeconds(10));
        err.await(Duration.ofSeconds(10));
        return new Result(process.exitValue(), out.text(), err.text());
    }

    String transcript() {
        return "$ "
                + String.join(" ", command)
                + "\n--- stdout\n"
                + out.text()
                + "--- stderr\n"
                + err.text()
                + "---";
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /**
     * What a finished command printed.
     *
     * @param exitCode its exit code
     * @param stdout everything on stdout
     * @param stderr everything on stderr
     */
    record Result(int exitCode, String stdout, String stderr) {

        /** The state-change lines on stderr ({@code taskexec: HH:MM:SS.mmm STATE ...}), states only. */
        List<String> states() {
            List<String> states = new ArrayList<>();
            for (String line : stderr.lines().toList()) {
                if (line.matches("taskexec: \\d\\d:\\d\\d:\\d\\d\\.\\d{3} [A-Z]+.*")) {
                    states.add(line.split("\\s+")[2]);
                }
            }
            return states;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr + "---";
        }
    }

    /** Reads a stream to its end on a virtual thread, keeping everything. */
    private static final class Drain {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final Thread thread;

        Drain(InputStream in) {
            thread =
                    Thread.ofVirtual()
                            .start(
                                    () -> {
                                        byte[] buffer = new byte[8192];
                                        try (in) {
                                            int n;
                                            while ((n = in.read(buffer)) >= 0) {
                                                synchronized (bytes) {
                                                    bytes.write(buffer, 0, n);
                                                }
                                            }
                                        } catch (IOException e) {
                                            // the process was killed; what was read is kept
                                        }
                                    });
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }

        void await(Duration timeout) throws InterruptedException {
            thread.join(timeout);
        }
    }

    /** Writes {@code text} to a new file in {@code dir}. */
    static Path write(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }
}
