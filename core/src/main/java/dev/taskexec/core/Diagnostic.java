package dev.taskexec.core;

import java.util.Locale;

/**
 * The stable codes of the failures a person meets when finding and opening executor backends, in
 * the manner of SLF4J's: each message ends with its code and the address of the section of
 * {@code docs/codes.md} that explains the cause and the fix, so that a message pasted into a search
 * or a bug report leads to the same page whatever its wording.
 *
 * <p>A code keeps its meaning for good and is never reused for another failure; the words around it
 * may change. A new code gets the next number and its section in {@code docs/codes.md} (core's
 * {@code DiagnosticTest} fails until it has one).
 */
enum Diagnostic {
    /** No provider at all on the class path or module path. */
    NO_EXECUTOR_INSTALLED("TE-REG-001"),
    /** Providers are installed, but none has the name asked for. */
    UNKNOWN_EXECUTOR("TE-REG-002"),
    /** Two or more providers have one name. */
    DUPLICATE_NAME("TE-REG-003"),
    /** ServiceLoader could not load or instantiate a provider. */
    PROVIDER_NOT_LOADED("TE-REG-004"),
    /** A provider's {@code name()} or {@code description()} threw. */
    PROVIDER_FAILED("TE-REG-005"),
    /** A provider's name does not follow {@code ExecutorProvider.NAME_SYNTAX}. */
    INVALID_NAME("TE-REG-006"),
    /** A provider's {@code create} returned null. */
    NULL_EXECUTOR("TE-REG-007");

    /** Where the codes are explained; the project's address is also in the root {@code pom.xml}. */
    static final String PAGE = "https://github.com/taskexec/taskexec/blob/main/docs/codes.md";

    private final String code;

    Diagnostic(String code) {
        this.code = code;
    }

    /** The code, such as {@code TE-REG-002}. */
    String code() {
        return code;
    }

    /** The address of the code's section (the heading {@code ## TE-REG-002} has the anchor {@code te-reg-002}). */
    String address() {
        return PAGE + "#" + code.toLowerCase(Locale.ROOT);
    }

    /** {@code message}, followed by this code and where it is explained. */
    String tag(String message) {
        return message + " (" + code + ", see " + address() + ")";
    }
}
