/**
 * The {@code taskexec} command: {@link dev.taskexec.cli.Main} and what every subcommand shares.
 *
 * <p>Decisions that hold for every command:
 * <ul>
 *   <li>Errors are one line on stderr, {@code taskexec: ...}, with a stack trace only under
 *       {@code --debug}; a wrong command line says which option is wrong and points at
 *       {@code --help}. Exit codes are in {@link dev.taskexec.cli.ExitCodes}.</li>
 *   <li>Backends are found with {@code ExecutorRegistry} on the class path, so a plugin jar on it
 *       is usable with no code change ({@link dev.taskexec.cli.Backends}).</li>
 *   <li>Durations are written like Docker's ({@link dev.taskexec.api.support.DurationText}, read by {@link dev.taskexec.cli.DurationArgument}); options
 *       and environment entries as {@code KEY=VALUE} ({@link dev.taskexec.cli.KeyValue}).</li>
 *   <li>Logging goes through slf4j-simple, at WARN by default; the command's own output never
 *       goes through the logger.</li>
 * </ul>
 */
package dev.taskexec.cli;
