package dev.taskexec.cli;

import dev.taskexec.cli.run.RunCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The entry point of the {@code taskexec} command ({@code java -jar taskexec.jar ...}).
 *
 * <p>Every error is one line on stderr, {@code taskexec: ...} (or {@code taskexec COMMAND: ...}
 * for a wrong command line), with the stack trace only under {@code --debug}. Exit codes are listed
 * in {@link ExitCodes}.
 */
public final class Main {

    private Main() {}

    /** Runs the command and exits the JVM with its exit code. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs the command without exiting.
     *
     * @param args the command-line arguments
     * @return the exit code
     */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The command line, with the error handling and logging set-up described in the class comment. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new TaskexecCommand());
        cli.setUsageHelpWidth(100);
        cli.setUsageHelpAutoWidth(true); // the terminal's width when there is one
        // `taskexec run ls -l`: everything from the command on belongs to the task, not to
        // taskexec.
        cli.getSubcommands().get("run").setStopAtPositional(true);
        cli.setExecutionStrategy(
                parseResult -> {
                    configureLogging(DebugOption.requested(parseResult));
                    return new CommandLine.RunLast().execute(parseResult);
                });
        cli.setParameterExceptionHandler(Main::usageError);
        cli.setExecutionExceptionHandler(
                (e, command, parseResult) -> failure(e, command, parseResult));
        return cli;
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        String name = command.getCommandSpec().qualifiedName();
        String problem = Backends.oneLine(e);
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched
                && command.getCommand() instanceof TaskexecCommand
                && !unmatched.getUnmatched().isEmpty()
                && !unmatched.getUnmatched().get(0).startsWith("-")) {
            problem =
                    "no command '"
                            + unmatched.getUnmatched().get(0)
                            + "'; the commands are "
                            + String.join(", ", command.getSubcommands().keySet());
        }
        err.println(name + ": " + problem + " (see '" + name + " --help')");
        err.flush();
        return command.getCommand() instanceof RunCommand ? ExitCodes.NOT_RUN : ExitCodes.USAGE;
    }

    private static int failure(Exception e, CommandLine command, ParseResult parseResult) {
        PrintWriter err = command.getErr();
        boolean debug = DebugOption.requested(parseResult);
        int exitCode =
                command.getCommand() instanceof RunCommand ? ExitCodes.NOT_RUN : ExitCodes.FAILURE;
        if (e instanceof CommandException ce) {
            err.println("taskexec: " + Backends.oneLine(ce));
            exitCode = ce.exitCode();
        } else {
            err.println(
                    "taskexec: "
                            + Backends.oneLine(e)
                            + (debug ? "" : " (run with --debug for details)"));
        }
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return exitCode;
    }

    /**
     * Sets slf4j-simple's level before the first logger is made (loggers read it once): warnings
     * only by default, debug for taskexec's own classes with {@code --debug}.
     */
    private static void configureLogging(boolean debug) {
        if (debug && System.getProperty("org.slf4j.simpleLogger.log.dev.taskexec") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.dev.taskexec", "debug");
        }
    }
}
