package dev.taskexec.api.support;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A task a backend cannot run as written, refused for one field: thrown from
 * {@link dev.taskexec.api.Executor#controller} or {@code prepare}, before anything exists, so the
 * lifecycle rejects the task with this message as its {@code err} and nothing is left behind. The
 * same mistake is refused with the same type and the same field path on every bundled backend.
 *
 * <p>The message is one line, {@code field: problem}. The field is a path from the task's
 * {@link dev.taskexec.api.proto.TaskSpec} in the {@code .proto} files' field names, with the index
 * of a repeated field's element in brackets: {@code container.env[2]},
 * {@code container.mounts[0].target}, {@code resources.limits.memory_bytes}. A field of the
 * {@link dev.taskexec.api.proto.Task} outside its spec starts with {@code task.}
 * ({@code task.id}). A quoted value is cut short with {@link dev.taskexec.api.input.Quote}.
 *
 * <p>An {@link IllegalArgumentException}: it is bad input, never worth a retry.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class InvalidTaskException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The path of the offending field; see {@link #field()}. */
    private final String field;

    /**
     * A refusal of one field.
     *
     * @param field   the field's path, such as {@code container.env[2]}
     * @param problem what is wrong with it, one line
     * @throws NullPointerException if {@code field} or {@code problem} is null
     */
    public InvalidTaskException(String field, String problem) {
        super(
                Objects.requireNonNull(field, "field")
                        + ": "
                        + Objects.requireNonNull(problem, "problem"));
        this.field = field;
    }

    /**
     * A refusal of one element of a repeated field.
     *
     * @param field   the repeated field's path, such as {@code container.env}
     * @param index   the element's index, from 0
     * @param problem what is wrong with it, one line
     * @throws NullPointerException if {@code field} or {@code problem} is null
     */
    public InvalidTaskException(String field, int index, String problem) {
        this(Objects.requireNonNull(field, "field") + "[" + index + "]", problem);
    }

    /**
     * The path of the offending field.
     *
     * @return such as {@code container.env[2]}
     */
    public String field() {
        return field;
    }
}
