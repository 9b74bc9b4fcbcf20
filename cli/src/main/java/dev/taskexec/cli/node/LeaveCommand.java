package dev.taskexec.cli.node;

import dev.taskexec.agent.SwarmNode;
import dev.taskexec.api.Executor;
import dev.taskexec.api.TaskRecovery;
import dev.taskexec.cli.Backends;
import dev.taskexec.cli.CommandException;
import dev.taskexec.cli.DebugOption;
import dev.taskexec.cli.ExitCodes;
import dev.taskexec.cli.VersionProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code taskexec node leave}: removes the node's identity and state, so the next {@code join}
 * needs a token and makes a new node. Idempotent. The swarm keeps listing the old node until a
 * manager removes it ({@code docker node rm}), which the command's output says.
 *
 * <p>The state includes the node's task store and, for the {@code process} backend, the tasks it
 * left running under their shims (see {@code node join}): those are stopped and removed, since no
 * later node could take them up. A {@code docker} backend's containers are the Engine's to list
 * and remove ({@code docker ps --filter label=dev.taskexec.node.id=ID}).
 */
@Command(
        name = "leave",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description =
                "Removes this node's swarm identity and state (key, certificates, node id, task store), and stops"
                        + " the process-backend tasks it left running. Stop the node first.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  taskexec node leave",
            "  taskexec node leave --state-dir /var/lib/taskexec-node"
        })
public final class LeaveCommand implements Callable<Integer> {

    @Mixin DebugOption debug;

    @Spec CommandSpec spec;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description =
                    "The node's state directory (default: $XDG_STATE_HOME/taskexec/node, else ~/.local/state/taskexec/node).")
    Path stateDirectory;

    @Override
    public Integer call() {
        Path dir = stateDirectory != null ? stateDirectory : NodeCommand.defaultStateDirectory();
        var err = spec.commandLine().getErr();
        try {
            int stopped = removeTasks(dir);
            if (stopped > 0) {
                err.println(
                        "taskexec: stopped and removed "
                                + stopped
                                + " task"
                                + (stopped == 1 ? "" : "s")
                                + " the node had left running");
            }
            Path nodeIdFile = dir.resolve("node-id");
            String nodeId =
                    Files.isRegularFile(nodeIdFile) ? Files.readString(nodeIdFile).strip() : "";
            if (SwarmNode.leave(dir)) {
                err.println(
                        "taskexec: removed node "
                                + (nodeId.isEmpty() ? "" : nodeId + " ")
                                + "from "
                                + dir
                                + (nodeId.isEmpty()
                                        ? ""
                                        : "; on a manager, `docker node rm "
                                                + nodeId
                                                + "` removes it from the swarm's list"));
            } else {
                err.println("taskexec: no node identity in " + dir + "; nothing to remove");
            }
            err.flush();
            return ExitCodes.OK;
        } catch (IOException e) {
            throw new CommandException(
                    ExitCodes.FAILURE,
                    "cannot remove the node state in " + dir + ": " + e.getMessage(),
                    e);
        }
    }

    /** Stops what the process backend runs for the node, then deletes its task state; how many tasks were stopped. */
    private static int removeTasks(Path dir) throws IOException {
        Path processTasks = dir.resolve(JoinCommand.PROCESS_TASKS);
        int stopped = 0;
        if (Files.isDirectory(processTasks)) {
            try (Executor process =
                    Backends.registry(ExitCodes.FAILURE)
                            .open("process", Map.of("state-dir", processTasks.toString()))) {
                if (process instanceof TaskRecovery recovery) {
                    stopped = recovery.reapOrphans(Set.of()).size();
                }
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(
                        "cannot stop the tasks in " + processTasks + ": " + e.getMessage(), e);
            }
            deleteTree(processTasks);
        }
        deleteTree(dir.resolve(JoinCommand.TASKS));
        return stopped;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
