package dev.taskexec.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.conformance.check.Kit;
import dev.taskexec.conformance.check.RuleCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** RULES.md, the catalogue in {@link Rules} and the kit's checks must tell the same story. */
class RulesCatalogTest {

    private static final Pattern ROW =
            Pattern.compile("^\\| ((?:LC|ID|CX|EX|LG|RS|ER|RC)-\\d+(?:\\.\\d+)*) \\| ([^|]+) \\|");

    private record Row(String id, String requirement) {}

    private static List<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("RULES.md"))) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                rows.add(new Row(m.group(1), m.group(2).trim()));
            }
        }
        return rows;
    }

    @Test
    void rulesMdListsExactlyTheCataloguedRulesInOrder() throws IOException {
        List<String> documented = rows().stream().map(Row::id).toList();
        List<String> catalogued = Rules.all().stream().map(Rule::id).toList();
        assertEquals(catalogued, documented);
    }

    @Test
    void rulesMdStatesEachRulesRequirementAsTheCatalogueDoes() throws IOException {
        for (Row row : rows()) {
            Rule rule = Rules.byId(row.id());
            Optional<Capability> capability = rule.capability();
            String expected =
                    capability
                            .map(c -> "optional: `" + c + "`")
                            .orElse(rule.needsProbe() ? "required (needs a probe)" : "required");
            assertEquals(expected, row.requirement(), "requirement column of " + row.id());
        }
    }

    @Test
    void everyRuleHasExactlyOneCheckAndEveryCheckARule() {
        List<String> checked = Kit.all().stream().map(RuleCheck::rule).map(Rule::id).toList();
        List<String> catalogued = Rules.all().stream().map(Rule::id).toList();
        assertEquals(catalogued, checked);
    }

    @Test
    void displayNamesStartWithTheRuleId() {
        for (Rule rule : Rules.all()) {
            assertTrue(rule.displayName().startsWith(rule.id() + " "), rule.displayName());
            assertTrue(Rule.ID.matcher(rule.id()).matches(), rule.id());
        }
    }
}
