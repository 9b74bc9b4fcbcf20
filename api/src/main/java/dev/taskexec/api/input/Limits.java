package dev.taskexec.api.input;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Bounds on a task decoded from untrusted input. Each bound is checked by
 * {@link TaskInput}; a task outside them is refused with a {@link TaskInputException} naming the
 * field and the bound.
 *
 * @param maxDepth how deeply JSON objects and arrays, or protobuf messages, may nest; the model's
 *     own tasks need about 10
 * @param maxStringLength characters of any one string field, map key or value, and bytes of any
 *     one bytes field
 * @param maxListSize entries of any one repeated field or map
 * @param maxTotalSize characters of JSON text, or bytes of protobuf encoding, of the whole task
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Limits(int maxDepth, int maxStringLength, int maxListSize, int maxTotalSize) {

    /** Nesting allowed by default; protobuf's own parser allows 100. */
    public static final int DEFAULT_MAX_DEPTH = 64;

    /** Length allowed by default: Linux's limit on one argument or environment string (MAX_ARG_STRLEN). */
    public static final int DEFAULT_MAX_STRING_LENGTH = 128 * 1024;

    /** Entries allowed by default in one list or map. */
    public static final int DEFAULT_MAX_LIST_SIZE = 10_000;

    /** Size allowed by default: gRPC's default bound on one received message. */
    public static final int DEFAULT_MAX_TOTAL_SIZE = 4 * 1024 * 1024;

    /**
     * Checks that every limit is positive.
     *
     * @throws IllegalArgumentException naming the component that is not positive
     */
    public Limits {
        positive("maxDepth", maxDepth);
        positive("maxStringLength", maxStringLength);
        positive("maxListSize", maxListSize);
        positive("maxTotalSize", maxTotalSize);
    }

    /**
     * The defaults: depth 64, strings of 128 KiB, lists of 10,000 entries, 4 MiB in all.
     *
     * @return the default limits
     */
    public static Limits defaults() {
        return new Limits(
                DEFAULT_MAX_DEPTH,
                DEFAULT_MAX_STRING_LENGTH,
                DEFAULT_MAX_LIST_SIZE,
                DEFAULT_MAX_TOTAL_SIZE);
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + ": must be positive, got " + value);
        }
    }
}
