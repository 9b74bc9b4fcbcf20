package dev.taskexec.store.sqlite.crash;

import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.Mount;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The crash test's tasks, the same in the test and in every agent it starts: short and long
 * workloads, zero and non-zero exits, and some that run until the orchestrator shuts them down.
 * Every workload appends its task id to a file in the marks directory (bind-mounted into a
 * container) when it starts, so the test can count how many times each ran.
 */
final class CrashWorkload {

    static final String IMAGE = System.getProperty("taskexec.test.image", "taskexec-test:latest");

    private CrashWorkload() {}

    /** Task {@code i} exits with this code; -1: runs until shut down. */
    static int exitCode(int i) {
        return i % 6 == 5 ? -1 : i % 3 == 0 ? 0 : i % 3 == 1 ? 3 : 1;
    }

    /** How long task {@code i} runs before it exits, in seconds. */
    static int seconds(int i) {
        return new int[] {0, 1, 2, 5, 9}[i % 5];
    }

    static String id(String run, int i) {
        return run + "-" + i;
    }

    /**
     * The {@code n} tasks of run {@code run}; the long-running ones desired SHUTDOWN when
     * {@code shutDownLong} (the orchestrator's change of mind, from the middle of the test on); as
     * local processes when {@code process}, else as containers of the test image.
     */
    static List<Task> tasks(String run, int n, Path marks, boolean shutDownLong, boolean process) {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = id(run, i);
            int code = exitCode(i);
            String ran = process ? marks.toAbsolutePath().resolve("ran").toString() : "/marks/ran";
            String script =
                    "echo "
                            + id
                            + " >> "
                            + ran
                            + "; "
                            + (code < 0
                                    ? "trap 'exit 0' TERM; while true; do sleep 1; done"
                                    : "sleep " + seconds(i) + "; exit " + code);
            ContainerSpec.Builder spec =
                    ContainerSpec.newBuilder()
                            .addCommand("sh")
                            .addCommand("-c")
                            .addCommand(script)
                            .setStopGracePeriod(
                                    com.google.protobuf.Duration.newBuilder().setSeconds(2));
            if (!process) {
                spec.setImage(IMAGE)
                        .putLabels("dev.taskexec.test.run", run)
                        .addMounts(
                                Mount.newBuilder()
                                        .setType(Mount.Type.BIND)
                                        .setSource(marks.toAbsolutePath().toString())
                                        .setTarget("/marks"));
            }
            tasks.add(
                    Task.newBuilder()
                            .setId(id)
                            .setServiceId("crash")
                            .setNodeId("crash-node")
                            .setSpec(TaskSpec.newBuilder().setContainer(spec))
                            .setDesiredState(
                                    code < 0 && shutDownLong
                                            ? TaskState.SHUTDOWN
                                            : TaskState.RUNNING)
                            .setStatus(TaskStatus.newBuilder().setState(TaskState.ASSIGNED))
                            .build());
        }
        return tasks;
    }
}
