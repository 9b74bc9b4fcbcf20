package dev.taskexec.conformance;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * What a {@link ConformanceRunner} run found: one {@link RuleResult} per rule run, in
 * the order of {@code RULES.md}. Printable as text for people ({@link #toText()}) and
 * as JSON for tools ({@link #toJson()}).
 *
 * @param provider  the provider's name
 * @param workloads a description of the workloads used
 * @param started   when the run started
 * @param duration  how long it took
 * @param results   one result per rule that was run
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record ConformanceReport(
        String provider,
        String workloads,
        Instant started,
        Duration duration,
        List<RuleResult> results) {

    /**
     * Copies {@code results}, so later changes to the caller's list do not show.
     *
     * @throws NullPointerException if any component, or an element of {@code results}, is null
     */
    public ConformanceReport {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(workloads, "workloads");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(duration, "duration");
        results = List.copyOf(results);
    }

    /**
     * Whether the backend conforms: no rule failed. Skipped rules (a capability the
     * backend does not declare, or a probe it does not supply) do not count against it;
     * {@link #skipped()} lists them.
     */
    public boolean conforms() {
        return failed().isEmpty();
    }

    /** The rules that passed. */
    public List<RuleResult> passed() {
        return with(RuleResult.Outcome.PASSED);
    }

    /** The rules that failed. */
    public List<RuleResult> failed() {
        return with(RuleResult.Outcome.FAILED);
    }

    /** The rules that were skipped. */
    public List<RuleResult> skipped() {
        return with(RuleResult.Outcome.SKIPPED);
    }

    /** The result for a rule id, if that rule was run. */
    public java.util.Optional<RuleResult> result(String ruleId) {
        return results.stream().filter(r -> r.rule().id().equals(ruleId)).findFirst();
    }

    private List<RuleResult> with(RuleResult.Outcome outcome) {
        return results.stream().filter(r -> r.outcome() == outcome).toList();
    }

    /**
     * The report as text: a line per rule ({@code PASS}, {@code FAIL}, {@code SKIP}, id,
     * title, time), the failure or skip reason indented below it, and a summary line.
     */
    public String toText() {
        StringBuilder text = new StringBuilder();
        text.append("taskexec conformance: provider ")
                .append(provider)
                .append(", ")
                .append(workloads)
                .append('\n');
        for (RuleResult result : results) {
            String mark =
                    switch (result.outcome()) {
                        case PASSED -> "PASS";
                        case FAILED -> "FAIL";
                        case SKIPPED -> "SKIP";
                    };
            text.append(
                    String.format(
                            Locale.ROOT,
                            "%s %-6s %s (%.1f s)%n",
                            mark,
                            result.rule().id(),
                            result.rule().title(),
                            result.duration().toMillis() / 1000.0));
            if (!result.message().isEmpty() && result.outcome() != RuleResult.Outcome.PASSED) {
                result.message()
                        .lines()
                        .forEach(line -> text.append("       ").append(line).append('\n'));
            }
        }
        text.append(
                String.format(
                        Locale.ROOT,
                        "%d passed, %d failed, %d skipped in %.1f s: %s%n",
                        passed().size(),
                        failed().size(),
                        skipped().size(),
                        duration.toMillis() / 1000.0,
                        conforms() ? "CONFORMS" : "DOES NOT CONFORM"));
        return text.toString();
    }

    /**
     * The report as one JSON object:
     * {@code {"provider", "workloads", "started" (ISO-8601), "durationMillis", "conforms",
     * "passed", "failed", "skipped" (counts), "results": [{"id", "title", "required",
     * "capability" (or null), "outcome" ("PASSED"|"FAILED"|"SKIPPED"), "message",
     * "durationMillis"}]}}.
     */
    public String toJson() {
        StringBuilder json = new StringBuilder();
        json.append("{\n");
        field(json, "provider", provider).append(",\n");
        field(json, "workloads", workloads).append(",\n");
        field(json, "started", started.toString()).append(",\n");
        json.append("  \"durationMillis\": ").append(duration.toMillis()).append(",\n");
        json.append("  \"conforms\": ").append(conforms()).append(",\n");
        json.append("  \"passed\": ").append(passed().size()).append(",\n");
        json.append("  \"failed\": ").append(failed().size()).append(",\n");
        json.append("  \"skipped\": ").append(skipped().size()).append(",\n");
        json.append("  \"results\": [");
        for (int i = 0; i < results.size(); i++) {
            RuleResult result = results.get(i);
            json.append(i == 0 ? "\n" : ",\n").append("    {");
            json.append("\"id\": ").append(quote(result.rule().id()));
            json.append(", \"title\": ").append(quote(result.rule().title()));
            json.append(", \"required\": ").append(result.rule().required());
            json.append(", \"capability\": ")
                    .append(result.rule().capability().map(c -> quote(c.name())).orElse("null"));
            json.append(", \"outcome\": ").append(quote(result.outcome().name()));
            json.append(", \"message\": ").append(quote(result.message()));
            json.append(", \"durationMillis\": ").append(result.duration().toMillis());
            json.append('}');
        }
        json.append(results.isEmpty() ? "]\n" : "\n  ]\n");
        json.append("}\n");
        return json.toString();
    }

    private static StringBuilder field(StringBuilder json, String name, String value) {
        return json.append("  ").append(quote(name)).append(": ").append(quote(value));
    }

    /** A JSON string literal (RFC 8259): quotes, backslashes and control characters escaped. */
    static String quote(String value) {
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                case '\b' -> quoted.append("\\b");
                case '\f' -> quoted.append("\\f");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
