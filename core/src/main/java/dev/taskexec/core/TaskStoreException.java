package dev.taskexec.core;

/**
 * A {@link TaskStore} could not do what it was asked: its files are corrupt, belong to a newer
 * version, are locked by another process, or the disk failed. The message says which and where.
 * Unchecked, as nothing a caller of the worker can do about it mid-operation beats reporting it.
 */
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
