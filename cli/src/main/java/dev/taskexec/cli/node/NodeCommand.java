package dev.taskexec.cli.node;

import dev.taskexec.cli.DebugOption;
import dev.taskexec.cli.VersionProvider;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code taskexec node}: dispatches to {@code join} and {@code leave}. */
@Command(
        name = "node",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        subcommands = {JoinCommand.class, LeaveCommand.class},
        description =
                "Runs this machine as a Docker Swarm worker node whose tasks run on a taskexec backend.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  taskexec node join --token $(docker swarm join-token -q worker) 127.0.0.1:2377",
            "  taskexec node join                 # again later: same node, no token needed",
            "  taskexec node leave",
        })
public final class NodeCommand implements Callable<Integer> {

    @Mixin DebugOption debug;

    @Spec CommandSpec spec;

    /** Where a node keeps its identity when {@code --state-dir} is not given. */
    static Path defaultStateDirectory() {
        String xdg = System.getenv("XDG_STATE_HOME");
        Path base =
                xdg != null && !xdg.isBlank()
                        ? Path.of(xdg)
                        : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("taskexec").resolve("node");
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "no command given: use join or leave");
    }
}
