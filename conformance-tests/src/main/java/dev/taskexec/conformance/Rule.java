package dev.taskexec.conformance;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * One numbered rule of the conformance kit, as listed and explained in
 * {@code conformance-tests/RULES.md}.
 *
 * @param id         the rule id, a family prefix and a number such as {@code LC-3} or {@code LC-3.2}
 * @param title      a one-line summary of what the rule requires
 * @param capability the capability the rule depends on; empty for a required rule
 * @param needsProbe whether the rule can only be checked with a {@link ResourceProbe}
 *                   that inspects tasks (it is skipped without one)
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Rule(String id, String title, Optional<Capability> capability, boolean needsProbe) {

    /** What a rule id looks like: a family ({@code LC ID CX EX LG RS ER RC}), a dash, a dotted number. */
    public static final Pattern ID = Pattern.compile("(LC|ID|CX|EX|LG|RS|ER|RC)-\\d+(\\.\\d+)*");

    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException if {@code id} is not a rule id or {@code title} is blank
     */
    public Rule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(capability, "capability");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a rule id: '" + id + "'");
        }
        if (title.isBlank()) {
            throw new IllegalArgumentException("rule " + id + " has a blank title");
        }
    }

    /** Whether every conforming backend must pass this rule (it depends on no capability). */
    public boolean required() {
        return capability.isEmpty();
    }

    /** The id and title, as used at the start of every check's display name. */
    public String displayName() {
        return id + " " + title;
    }
}
