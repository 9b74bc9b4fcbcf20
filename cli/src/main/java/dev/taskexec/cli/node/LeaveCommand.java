package dev.taskexec.cli.node;

import dev.taskexec.agent.SwarmNode;
import dev.taskexec.cli.CommandException;
import dev.taskexec.cli.DebugOption;
import dev.taskexec.cli.ExitCodes;
import dev.taskexec.cli.VersionProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code taskexec node leave}: removes the node's identity and state, so the next {@code join}
 * needs a token and makes a new node. Idempotent. The swarm keeps listing the old node until a
 * manager removes it ({@code docker node rm}), which the command's output says.
 */
@Command(name = "leave",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Removes this node's swarm identity and state (key, certificates, node id). Stop the node first.",
        footerHeading = "%nExamples:%n",
        footer = {"  taskexec node leave", "  taskexec node leave --state-dir /var/lib/taskexec-node"})
public final class LeaveCommand implements Callable<Integer> {

    @Mixin
    DebugOption debug;

    @Spec
    CommandSpec spec;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "The node's state directory (default: $XDG_STATE_HOME/taskexec/node, else ~/.local/state/taskexec/node).")
    Path stateDirectory;

    @Override
    public Integer call() {
        Path dir = stateDirectory != null ? stateDirectory : NodeCommand.defaultStateDirectory();
        var err = spec.commandLine().getErr();
        try {
            Path nodeIdFile = dir.resolve("node-id");
            String nodeId = Files.isRegularFile(nodeIdFile) ? Files.readString(nodeIdFile).strip() : "";
            if (SwarmNode.leave(dir)) {
                err.println("taskexec: removed node " + (nodeId.isEmpty() ? "" : nodeId + " ") + "from " + dir
                        + (nodeId.isEmpty() ? "" : "; on a manager, `docker node rm " + nodeId
                                + "` removes it from the swarm's list"));
            } else {
                err.println("taskexec: no node identity in " + dir + "; nothing to remove");
            }
            err.flush();
            return ExitCodes.OK;
        } catch (IOException e) {
            throw new CommandException(ExitCodes.FAILURE, "cannot remove the node state in " + dir + ": " + e.getMessage(), e);
        }
    }
}
