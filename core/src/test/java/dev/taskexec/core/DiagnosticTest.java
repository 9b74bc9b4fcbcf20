package dev.taskexec.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every diagnostic code a message can carry is explained in {@code docs/codes.md}, and every section
 * there belongs to a code still in use. The codes are found in {@link Diagnostic} and, so that a
 * code written as a literal anywhere in the project is not missed, in every module's main sources.
 */
class DiagnosticTest {

    /** Tests run in the module's folder; the project's root is its parent. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    private static final Path PAGE = ROOT.resolve("docs").resolve("codes.md");
    private static final Pattern CODE = Pattern.compile("\\bTE-[A-Z]+-\\d{3}\\b");

    @Test
    void everyCodeHasASectionThatGivesTheCauseAndTheFix() throws IOException {
        Map<String, String> sections = sections();
        for (Diagnostic diagnostic : Diagnostic.values()) {
            String section = sections.get(diagnostic.code());
            assertTrue(
                    section != null,
                    diagnostic.code()
                            + " has no section '## "
                            + diagnostic.code()
                            + "' in "
                            + PAGE);
            assertTrue(
                    section.contains("\nCause: ") && section.contains("\nFix: "),
                    diagnostic.code() + "'s section says its cause and its fix: " + section);
            // GitHub's anchor for the heading "## TE-REG-001" is "te-reg-001"
            assertEquals(
                    Diagnostic.PAGE + "#" + diagnostic.code().toLowerCase(Locale.ROOT),
                    diagnostic.address());
        }
    }

    @Test
    void codesAreUniqueAndWellFormed() {
        List<String> codes = Arrays.stream(Diagnostic.values()).map(Diagnostic::code).toList();
        assertEquals(codes.size(), Set.copyOf(codes).size(), "a code names one failure: " + codes);
        codes.forEach(code -> assertTrue(CODE.matcher(code).matches(), code));
        assertTrue(Diagnostic.PAGE.endsWith("/docs/codes.md"), Diagnostic.PAGE);
    }

    @Test
    void everyCodeInTheSourcesIsExplainedAndEverySectionIsInUse() throws IOException {
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> f.toString().contains("/src/main/java/"))
                    .filter(f -> !f.toString().contains("/target/"))
                    .forEach(f -> used.addAll(codesIn(read(f))));
        }
        assertTrue(
                used.containsAll(Arrays.stream(Diagnostic.values()).map(Diagnostic::code).toList()),
                "the scan sees core's own codes: " + used);
        Set<String> explained = sections().keySet();
        assertEquals(
                Set.of(),
                difference(used, explained),
                "codes in messages without a section in " + PAGE);
        assertEquals(
                Set.of(),
                difference(explained, used),
                "sections in " + PAGE + " for codes no message uses");
    }

    /** Each section of the page, by the code of its heading. */
    private static Map<String, String> sections() throws IOException {
        Map<String, String> sections = new LinkedHashMap<>();
        String[] parts = Files.readString(PAGE).split("(?m)^## ");
        for (String part : Arrays.asList(parts).subList(1, parts.length)) {
            String heading = part.lines().findFirst().orElse("").strip();
            assertTrue(
                    CODE.matcher(heading).matches(),
                    "a section's heading is its code alone (its anchor is then the code): "
                            + heading);
            assertEquals(null, sections.put(heading, part), "two sections for " + heading);
        }
        return sections;
    }

    private static Set<String> codesIn(String text) {
        Set<String> codes = new TreeSet<>();
        Matcher m = CODE.matcher(text);
        while (m.find()) {
            codes.add(m.group());
        }
        return codes;
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        return a.stream()
                .filter(x -> !b.contains(x))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
