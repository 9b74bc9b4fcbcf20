package dev.taskexec.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * The {@code --debug} option every command takes: debug logging of taskexec's own classes, and a
 * stack trace with every error.
 */
public final class DebugOption {

    @Option(
            names = "--debug",
            description = "Log what taskexec does (debug level) and show stack traces with errors.")
    boolean debug;

    /** Whether {@code --debug} was given to the command or any of its parents. */
    static boolean requested(ParseResult parseResult) {
        for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }
}
