package dev.taskexec.api.support;

/**
 * The words of a task's {@code err} when its workload exits with a non-zero code, in swarmkit's
 * wording (its Docker executor's exit error), so that an operator reads the same text whichever
 * backend ran the task: {@code task: non-zero exit (3)}, or with a cause
 * {@code task: non-zero exit (137): killed by the kernel's OOM killer}.
 *
 * <p>The code is reported as the runtime reported it; a death by signal n is 128 + n, and
 * {@link Signal#ofExitCode(int)} names the signal when a backend knows the workload was killed.
 */
public final class ExitMessages {

    private ExitMessages() {}

    /**
     * The message of a non-zero exit.
     *
     * @param exitCode the workload's exit code
     * @return {@code task: non-zero exit (exitCode)}
     */
    public static String nonZeroExit(int exitCode) {
        return "task: non-zero exit (" + exitCode + ")";
    }

    /**
     * The message of a non-zero exit whose cause the backend knows.
     *
     * @param exitCode the workload's exit code
     * @param cause    why it ended, in a few words; null or blank for none
     * @return {@code task: non-zero exit (exitCode): cause}, or without the cause if there is none
     */
    public static String nonZeroExit(int exitCode, String cause) {
        return cause == null || cause.isBlank() ? nonZeroExit(exitCode) : nonZeroExit(exitCode) + ": " + cause;
    }
}
