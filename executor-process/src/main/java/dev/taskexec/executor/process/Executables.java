package dev.taskexec.executor.process;

import dev.taskexec.api.input.Quote;
import dev.taskexec.api.support.InvalidTaskException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the file a task's {@code command[0]} names, the way {@code execvp(3)} would in the task's
 * environment: a name with a slash is a path (relative ones against the working directory), any
 * other name is looked up in the task's {@code PATH} (else this JVM's, else
 * {@code /usr/local/bin:/usr/bin:/bin}). The result keeps the name as written (symbolic links are
 * not resolved), so multi-call binaries that look at {@code argv[0]} still work.
 */
final class Executables {

    static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    private static final String COMMAND = "container.command[0]";

    private Executables() {}

    /**
     * @throws InvalidTaskException naming {@code container.command[0]} when nothing executable
     *         is found
     */
    static Path resolve(String command, Path workDir, Map<String, String> taskEnv) {
        try {
            if (command.indexOf('/') >= 0) {
                Path p = workDir.resolve(command);
                String problem = problem(p);
                if (problem != null) {
                    throw new InvalidTaskException(COMMAND, Quote.of(command) + " " + problem);
                }
                return p;
            }
            String path = taskEnv.get("PATH");
            if (path == null) {
                path = System.getenv("PATH");
            }
            if (path == null || path.isEmpty()) {
                path = DEFAULT_PATH;
            }
            String firstProblem = null;
            for (String entry : path.split(File.pathSeparator, -1)) {
                Path candidate =
                        (entry.isEmpty() ? workDir : workDir.resolve(entry)).resolve(command);
                String problem = problem(candidate);
                if (problem == null) {
                    return candidate;
                }
                if (firstProblem == null && Files.exists(candidate)) {
                    firstProblem =
                            "found as " + candidate + " but " + problem.replace("is ", "it is ");
                }
            }
            throw new InvalidTaskException(
                    COMMAND,
                    Quote.of(command)
                            + " "
                            + (firstProblem != null ? firstProblem : "not found in PATH " + path));
        } catch (InvalidPathException e) {
            throw new InvalidTaskException(
                    COMMAND, Quote.of(command) + " is not a valid path: " + e.getMessage());
        }
    }

    /** Why {@code p} cannot be executed, or null when it can. */
    private static String problem(Path p) {
        if (!Files.exists(p)) {
            return "does not exist";
        }
        if (Files.isDirectory(p)) {
            return "is a directory";
        }
        if (!Files.isExecutable(p)) {
            return "is not executable";
        }
        return null;
    }

    /** {@code setsid(1)}, which starts a program as leader of a new session and group, if present. */
    static Path setsid() {
        for (String dir : new String[] {"/usr/bin", "/bin", "/usr/local/bin"}) {
            Path p = Path.of(dir, "setsid");
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
