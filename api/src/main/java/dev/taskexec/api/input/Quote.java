package dev.taskexec.api.input;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Quotes a value from a task in an error message, keeping the message short whatever the value.
 *
 * <p>A value of at most {@value #MAX_CHARS} characters is quoted whole; a longer one is cut to its
 * first {@value #MAX_CHARS} characters followed by {@code …} and its full length. Control
 * characters (line breaks included) are shown as {@code \n}, {@code \t} or {@code \}{@code uXXXX},
 * so the message stays on one line.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Quote {

    /** How many characters of a value an error shows. */
    public static final int MAX_CHARS = 48;

    private Quote() {}

    /**
     * {@code "value"}, or {@code "first 48 characters…" (N characters)} for a longer value.
     *
     * @param value the value; null is shown as {@code null}
     * @return the quoted value, at most about 90 characters
     */
    public static String of(String value) {
        if (value == null) {
            return "null";
        }
        boolean cut = value.length() > MAX_CHARS;
        String shown = cut ? value.substring(0, MAX_CHARS) : value;
        StringBuilder out = new StringBuilder(shown.length() + 32).append('"');
        shown.codePoints()
                .forEach(
                        c -> {
                            switch (c) {
                                case '\n' -> out.append("\\n");
                                case '\r' -> out.append("\\r");
                                case '\t' -> out.append("\\t");
                                case '"' -> out.append("\\\"");
                                case '\\' -> out.append("\\\\");
                                default -> {
                                    if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                                        out.append(String.format("\\u%04x", c));
                                    } else {
                                        out.appendCodePoint(c);
                                    }
                                }
                            }
                        });
        out.append('"');
        if (cut) {
            out.insert(out.length() - 1, '…')
                    .append(" (")
                    .append(value.length())
                    .append(" characters)");
        }
        return out.toString();
    }

    /**
     * {@code message} on one line and at most {@code maxChars} characters, for errors whose text
     * comes from elsewhere (a parser, an engine) and may echo input.
     *
     * @param message the message; null gives an empty string
     * @param maxChars the bound, at least 16
     * @return the message with line breaks as spaces, cut with {@code …} when longer
     */
    public static String clip(String message, int maxChars) {
        if (maxChars < 16) {
            throw new IllegalArgumentException("maxChars: at least 16, got " + maxChars);
        }
        if (message == null) {
            return "";
        }
        String head =
                message.length() > maxChars * 2 ? message.substring(0, maxChars * 2) : message;
        String line = head.replaceAll("[\\p{Cntrl}\\u2028\\u2029]+", " ").strip();
        if (line.length() > maxChars || head.length() < message.length()) {
            return line.substring(0, Math.min(line.length(), maxChars - 1)) + "…";
        }
        return line;
    }

    /**
     * A failure's most specific message (the deepest non-blank one along its cause chain) for an
     * error line: the {@code pkg.SomeException: } prefixes parsers put in front and trailing
     * {@code See https://…} hints removed, on one line, at most {@code maxChars} characters. Only
     * a bounded head of the message is looked at, since parsers echo their input.
     *
     * @param failure the failure
     * @param maxChars the bound, at least 16
     * @return the message, or the failure's simple class name when no message has text
     */
    public static String failure(Throwable failure, int maxChars) {
        String message = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        if (message == null) {
            return failure.getClass().getSimpleName();
        }
        int look = Math.max(maxChars * 4, 256);
        String head = message.length() > look ? message.substring(0, look) + "…" : message;
        head =
                head.replaceAll("(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error): ", "")
                        .replaceAll("\\s*See https?://\\S+", "");
        return clip(head, maxChars);
    }
}
