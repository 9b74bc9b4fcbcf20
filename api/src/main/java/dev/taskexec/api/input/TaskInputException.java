package dev.taskexec.api.input;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * A task's input was refused: malformed, or outside the {@link Limits}. The message is one line,
 * {@code field: what is wrong}, where the field is a path such as {@code spec.container.args[3]}
 * (or {@code $} for the input as a whole) and any quoted value is cut short ({@link Quote}).
 *
 * <p>An {@link IllegalArgumentException}, so the lifecycle and the command treat it as bad input.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class TaskInputException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The path of the offending field; see {@link #field()}. */
    private final String field;

    /**
     * A refusal of one field.
     *
     * @param field the path of the offending field, or {@code $} for the input as a whole
     * @param problem what is wrong, one line
     */
    public TaskInputException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    /**
     * The path of the offending field.
     *
     * @return the path ({@code spec.container.env[2]}), or {@code $} for the input as a whole
     */
    public String field() {
        return field;
    }
}
