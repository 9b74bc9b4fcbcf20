package dev.taskexec.cli;

import dev.taskexec.cli.conformance.ConformanceCommand;
import dev.taskexec.cli.executors.ExecutorsCommand;
import dev.taskexec.cli.node.NodeCommand;
import dev.taskexec.cli.run.RunCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The top-level {@code taskexec} command; it only dispatches to its subcommands. */
@Command(
        name = "taskexec",
        mixinStandardHelpOptions = true,
        subcommands = {
            RunCommand.class,
            ExecutorsCommand.class,
            ConformanceCommand.class,
            NodeCommand.class
        },
        versionProvider = VersionProvider.class,
        description =
                "Runs tasks under Docker swarmkit's task lifecycle on pluggable executor backends, "
                        + "lists the backends installed, and certifies a backend with the conformance kit.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  taskexec run -- sh -c 'echo hello from a task; exit 3'",
            "  taskexec run -e docker --image taskexec-test:latest -- echo hello from a container",
            "  taskexec executors",
            "  taskexec conformance -e process --report report.json",
            "  taskexec node join --token $(docker swarm join-token -q worker) 127.0.0.1:2377",
            "",
            "Plugins: a backend jar in the launcher's plugins/ folder, or on TASKEXEC_CLASSPATH, is found by",
            "'taskexec executors' and usable with -e NAME; no code change needed.",
            "Run 'taskexec COMMAND --help' for a command's options.",
        })
public final class TaskexecCommand implements Callable<Integer> {

    @Mixin DebugOption debug;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(
                spec.commandLine(), "no command given: use run, executors, conformance or node");
    }
}
