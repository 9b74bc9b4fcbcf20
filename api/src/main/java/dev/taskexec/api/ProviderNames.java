package dev.taskexec.api;

import java.util.regex.Pattern;

/** Holds the compiled form of {@link ExecutorProvider#NAME_SYNTAX}, which an interface cannot hide. */
final class ProviderNames {

    static final Pattern VALID = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");

    private ProviderNames() {}
}
