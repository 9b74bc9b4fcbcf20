package dev.taskexec.agent.swarm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The {@code docker} command, run with a time limit; how the swarm tests look at the swarm. */
final class DockerCli {

    /** What one command did. */
    record Result(int exitCode, String stdout, String stderr) {
        String out() {
            return stdout.strip();
        }
    }

    private DockerCli() {}

    /** Runs {@code docker args...}; fails the test if it does not end within {@code limit}. */
    static Result run(Duration limit, String... args) {
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(List.of(args));
        try {
            Process process =
                    new ProcessBuilder(command)
                            .redirectInput(
                                    ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                            .start();
            CompletableFuture<String> out = drain(process.getInputStream());
            CompletableFuture<String> err = drain(process.getErrorStream());
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(
                        "`" + String.join(" ", command) + "` did not end within " + limit);
            }
            return new Result(process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }

    /** Runs {@code docker args...} for {@code period}, then stops it, and returns what it printed. */
    static Result runFor(Duration period, String... args) {
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(List.of(args));
        try {
            Process process =
                    new ProcessBuilder(command)
                            .redirectInput(
                                    ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                            .start();
            CompletableFuture<String> out = drain(process.getInputStream());
            CompletableFuture<String> err = drain(process.getErrorStream());
            boolean ended = process.waitFor(period.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
            return new Result(ended ? process.exitValue() : -1, out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }

    /** Runs {@code docker args...} and returns its stdout; fails the test on a non-zero exit. */
    static String ok(String... args) {
        Result result = run(Duration.ofSeconds(60), args);
        if (result.exitCode() != 0) {
            throw new AssertionError(
                    "`docker "
                            + String.join(" ", args)
                            + "` exited "
                            + result.exitCode()
                            + ": "
                            + result.stderr().strip());
        }
        return result.out();
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try (stream) {
                        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                        stream.transferTo(bytes);
                        return bytes.toString(StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        return "";
                    }
                });
    }
}
