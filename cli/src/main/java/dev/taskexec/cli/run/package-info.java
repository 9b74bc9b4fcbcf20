/**
 * {@code taskexec run}: builds a task ({@link dev.taskexec.cli.run.TaskRequest},
 * {@link dev.taskexec.cli.run.TaskFile}), runs it in the foreground with {@code Lifecycle.resolve}
 * and a {@code TaskRunner} (ForegroundRun), prints its state changes
 * ({@link dev.taskexec.cli.run.StatusOutput}) and copies its output as it is produced, and turns
 * Ctrl-C into a graceful shutdown.
 */
package dev.taskexec.cli.run;
