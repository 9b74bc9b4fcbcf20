package dev.taskexec.cli.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The docker CLI, asked directly rather than through taskexec, so that a broken product fails a
 * test instead of skipping it, and so that what a test looks for (containers by label) is seen the
 * way an operator sees it.
 */
final class Docker {

    private Docker() {}

    /** Whether this machine can run {@code taskexec-test:latest} at all. */
    static boolean canRunContainers() throws InterruptedException {
        try {
            return run("run", "--rm", "taskexec-test:latest", "true").exitCode == 0;
        } catch (IOException noDockerCli) {
            return false;
        }
    }

    /** The label every container of a taskexec task carries, its value the task's id. */
    static final String LABEL_TASK_ID = "dev.taskexec.task.id";

    /**
     * Removes the containers of the tasks {@code taskIds}, after listing them: what a test left
     * behind, for it to assert is empty.
     */
    static List<String> removeTaskContainers(java.util.Collection<String> taskIds)
            throws Exception {
        List<String> left = new java.util.ArrayList<>();
        for (String id : taskIds) {
            left.addAll(containersLabelled(LABEL_TASK_ID, id));
            removeLabelled(LABEL_TASK_ID, id);
        }
        return left;
    }

    /** The ids of the containers, running or not, that carry {@code label=value}. */
    static List<String> containersLabelled(String label, String value)
            throws IOException, InterruptedException {
        Output o = run("ps", "-a", "-q", "--no-trunc", "--filter", "label=" + label + "=" + value);
        if (o.exitCode != 0) {
            throw new AssertionError("docker ps failed: " + o.text);
        }
        return o.text.lines().filter(l -> !l.isBlank()).toList();
    }

    /** Force-removes the containers carrying {@code label=value}; for a test's own clean-up. */
    static void removeLabelled(String label, String value)
            throws IOException, InterruptedException {
        List<String> ids = containersLabelled(label, value);
        if (!ids.isEmpty()) {
            List<String> args = new ArrayList<>(List.of("rm", "-f", "-v"));
            args.addAll(ids);
            run(args.toArray(String[]::new));
        }
    }

    private record Output(int exitCode, String text) {}

    private static Output run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Process docker = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = docker.getInputStream().readAllBytes();
        if (!docker.waitFor(60, TimeUnit.SECONDS)) {
            docker.destroyForcibly();
            return new Output(-1, "timed out");
        }
        return new Output(docker.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
