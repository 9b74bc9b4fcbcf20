package dev.taskexec.executor.docker;

import java.util.regex.Pattern;

/**
 * A Docker image reference, {@code [registry/]path[:tag][@digest]}, checked against the grammar of
 * Docker's distribution reference library so a malformed one rejects the task with a clear message
 * instead of an engine error after the pull.
 *
 * @param name registry and repository path, e.g. {@code localhost:5000/team/app}
 * @param tag the tag, or {@code null}
 * @param digest the digest, e.g. {@code sha256:...}, or {@code null}
 */
record ImageReference(String name, String tag, String digest) {

    private static final String ALNUM = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|-+)";
    private static final Pattern PATH_COMPONENT =
            Pattern.compile(ALNUM + "(?:" + SEPARATOR + ALNUM + ")*");
    private static final Pattern DOMAIN =
            Pattern.compile(
                    "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST =
            Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");
    private static final int MAX_NAME_LENGTH = 255;

    /**
     * Parses a reference.
     *
     * @throws IllegalArgumentException saying which part is malformed
     */
    static ImageReference parse(String reference) {
        if (reference == null || reference.isEmpty()) {
            throw new IllegalArgumentException("image reference is empty");
        }
        String rest = reference;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw new IllegalArgumentException("malformed digest \"" + digest + "\"");
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("malformed tag \"" + tag + "\"");
            }
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("no repository name");
        }
        if (rest.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException(
                    "repository name longer than " + MAX_NAME_LENGTH + " characters");
        }
        String[] parts = rest.split("/", -1);
        int first = 0;
        if (parts.length > 1 && looksLikeDomain(parts[0])) {
            if (!DOMAIN.matcher(parts[0]).matches()) {
                throw new IllegalArgumentException("malformed registry \"" + parts[0] + "\"");
            }
            first = 1;
        }
        for (int i = first; i < parts.length; i++) {
            if (!PATH_COMPONENT.matcher(parts[i]).matches()) {
                String why =
                        parts[i].chars().anyMatch(Character::isUpperCase)
                                ? " (repository names must be lower case)"
                                : "";
                throw new IllegalArgumentException(
                        "malformed repository path component \"" + parts[i] + "\"" + why);
            }
        }
        return new ImageReference(rest, tag, digest);
    }

    private static boolean looksLikeDomain(String component) {
        return component.contains(".")
                || component.contains(":")
                || component.equals("localhost")
                || !component.equals(component.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * The reference to pull. A reference without tag or digest gets {@code :latest}: the engine
     * would otherwise pull every tag of the repository.
     */
    String pullReference() {
        if (digest != null) {
            return name + "@" + digest;
        }
        return name + ":" + (tag != null ? tag : "latest");
    }
}
