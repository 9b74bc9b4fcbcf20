package dev.taskexec.api.support;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * The words of a task's {@code err} when its workload exits with a non-zero code, in swarmkit's
 * wording (its Docker executor's exit error), so that an operator reads the same text whichever
 * backend ran the task: {@code task: non-zero exit (3)}, or with a cause
 * {@code task: non-zero exit (137): killed by the kernel's OOM killer}.
 *
 * <p>The code is reported as the runtime reported it. Runtimes report a death by signal n as
 * 128 + n, so a code from 129 to 192 that is such a number is followed by the signal's name, in the
 * place swarmkit puts a cause: {@code task: non-zero exit (137): as a process killed by SIGKILL
 * reports}. The wording stays careful because a program may also exit with such a code itself.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ExitMessages {

    private ExitMessages() {}

    /**
     * The message of a non-zero exit.
     *
     * @param exitCode the workload's exit code
     * @return {@code task: non-zero exit (exitCode)}, followed by the signal a code above 128 stands
     *     for, if it stands for one
     */
    public static String nonZeroExit(int exitCode) {
        String base = "task: non-zero exit (" + exitCode + ")";
        return Signal.ofExitCode(exitCode)
                .map(s -> base + ": as a process killed by " + s.name() + " reports")
                .orElse(base);
    }

    /**
     * The message of a non-zero exit whose cause the backend knows.
     *
     * @param exitCode the workload's exit code
     * @param cause    why it ended, in a few words; null or blank for none
     * @return {@code task: non-zero exit (exitCode): cause}, or {@link #nonZeroExit(int)} if there is
     *     no cause (a known cause replaces the signal's name)
     */
    public static String nonZeroExit(int exitCode, String cause) {
        return cause == null || cause.isBlank()
                ? nonZeroExit(exitCode)
                : "task: non-zero exit (" + exitCode + "): " + cause;
    }
}
