package dev.taskexec.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * A {@link TaskStore} could not do what it was asked: its files are corrupt, belong to a newer
 * version, are locked by another process, or the disk failed. The message says which and where.
 * Unchecked, as nothing a caller of the worker can do about it mid-operation beats reporting it.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class TaskStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failure with a message. */
    public TaskStoreException(String message) {
        super(message);
    }

    /** A failure with a message and its cause. */
    public TaskStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
