/**
 * Guarding the decoding of untrusted tasks (public API).
 *
 * <p>Every entry point that turns bytes from outside into a {@link dev.taskexec.api.proto.Task}
 * (the command's JSON task files, the protobuf bytes of a manager's assignment stream) decodes
 * through {@link dev.taskexec.api.input.TaskInput} with a set of {@link dev.taskexec.api.input.Limits}:
 * nesting depth, length of each string or bytes field, entries of each list or map, and total size.
 * Whatever the input, the only thing that escapes is a
 * {@link dev.taskexec.api.input.TaskInputException}: an {@code IllegalArgumentException} whose
 * message is one line that names the field and the limit and quotes at most a short prefix of the
 * offending value ({@link dev.taskexec.api.input.Quote}). Deep nesting is refused before any
 * recursive decoder sees it, so no {@code StackOverflowError} can occur.
 *
 * <p>Backends whose errors echo a task's values (argv, dir, user, stop signal, hostname, image…)
 * quote them with {@link dev.taskexec.api.input.Quote#of(String)}, so an error never grows with
 * the input.
 */
package dev.taskexec.api.input;
