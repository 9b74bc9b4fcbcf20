package dev.taskexec.cli.conformance;

import dev.taskexec.conformance.ConformanceReport;
import dev.taskexec.conformance.RuleResult;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A conformance report as JUnit XML, the test report format of Ant's {@code junit} task that
 * Jenkins, GitLab, GitHub Actions reporters and most CI systems read.
 *
 * <p>One {@code <testsuite>} for the backend in a {@code <testsuites>} root; one {@code <testcase>}
 * per rule that was selected, named by its id and title, with class name
 * {@code taskexec.conformance.EXECUTOR.FAMILY} so CI tools group rules by family. A failed rule
 * that counts against the verdict has a {@code <failure>} whose {@code message} is the first line
 * of the kit's message and whose text is the whole message. A rule skipped by the kit (a capability
 * or resource probe the backend does not declare) is {@code <skipped>} with the kit's reason. Every
 * failed rule is a failure, as it is for the command's verdict and exit code (see
 * {@code ConformanceCommand}), so the XML and the exit code always agree.
 *
 * <p>Characters XML 1.0 cannot carry (most control characters, which a task's output may hold) are
 * written as U+FFFD.
 */
final class JUnitXml {

    private JUnitXml() {}

    /**
     * The report as a JUnit XML document.
     *
     * @param report the kit's report
     * @return the document, UTF-8 declared
     */
    static String of(ConformanceReport report) {
        int failures = 0;
        int skipped = 0;
        for (RuleResult r : report.results()) {
            switch (kind(r)) {
                case FAILURE -> failures++;
                case SKIPPED -> skipped++;
                case PASSED -> {}
            }
        }
        String suite = "taskexec.conformance." + report.provider();
        StringWriter text = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(text);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuites");
            xml.writeAttribute("name", "taskexec conformance");
            counts(xml, report.results().size(), failures, skipped, report.duration());
            xml.writeCharacters("\n  ");
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", suite);
            counts(xml, report.results().size(), failures, skipped, report.duration());
            xml.writeAttribute(
                    "timestamp",
                    DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                            report.started()
                                    .truncatedTo(ChronoUnit.SECONDS)
                                    .atOffset(ZoneOffset.UTC)));
            xml.writeAttribute("hostname", hostname());

            xml.writeCharacters("\n    ");
            xml.writeStartElement("properties");
            property(xml, "executor", report.provider());
            property(xml, "workloads", report.workloads());
            xml.writeCharacters("\n    ");
            xml.writeEndElement();

            for (RuleResult r : report.results()) {
                String id = r.rule().id();
                xml.writeCharacters("\n    ");
                xml.writeStartElement("testcase");
                xml.writeAttribute("name", clean(id + " " + r.rule().title()));
                xml.writeAttribute(
                        "classname", clean(suite + "." + id.substring(0, id.indexOf('-'))));
                xml.writeAttribute("time", seconds(r.duration()));
                switch (kind(r)) {
                    case FAILURE -> {
                        xml.writeStartElement("failure");
                        xml.writeAttribute("message", clean(firstLine(r.message())));
                        xml.writeAttribute("type", "RuleViolation");
                        xml.writeCharacters(clean(r.message()));
                        xml.writeEndElement();
                    }
                    case SKIPPED -> {
                        xml.writeEmptyElement("skipped");
                        xml.writeAttribute("message", clean(firstLine(r.message())));
                    }
                    case PASSED -> {}
                }
                xml.writeEndElement();
            }
            xml.writeCharacters("\n  ");
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing JUnit XML to a string failed", e);
        }
        return text.toString();
    }

    /** How a rule's result appears in the XML. */
    private enum Kind {
        PASSED,
        FAILURE,
        SKIPPED
    }

    private static Kind kind(RuleResult r) {
        return switch (r.outcome()) {
            case PASSED -> Kind.PASSED;
            case SKIPPED -> Kind.SKIPPED;
            case FAILED -> Kind.FAILURE;
        };
    }

    private static void counts(
            XMLStreamWriter xml, int tests, int failures, int skipped, Duration time)
            throws XMLStreamException {
        xml.writeAttribute("tests", String.valueOf(tests));
        xml.writeAttribute("failures", String.valueOf(failures));
        xml.writeAttribute("errors", "0");
        xml.writeAttribute("skipped", String.valueOf(skipped));
        xml.writeAttribute("time", seconds(time));
    }

    private static void property(XMLStreamWriter xml, String name, String value)
            throws XMLStreamException {
        xml.writeCharacters("\n      ");
        xml.writeEmptyElement("property");
        xml.writeAttribute("name", name);
        xml.writeAttribute("value", clean(value));
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e9);
    }

    private static String firstLine(String message) {
        return message.strip().lines().findFirst().orElse("");
    }

    private static String hostname() {
        try {
            return clean(InetAddress.getLocalHost().getHostName());
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Replaces what XML 1.0 cannot hold (control characters, lone surrogates, U+FFFE/U+FFFF). */
    static String clean(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok;
            if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                if (out != null) {
                    out.append(c).append(s.charAt(i + 1));
                }
                i++;
                continue;
            }
            ok =
                    c == '\t'
                            || c == '\n'
                            || c == '\r'
                            || (c >= 0x20 && c <= 0xD7FF)
                            || (c >= 0xE000 && c <= 0xFFFD);
            if (!ok && out == null) {
                out = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (out != null) {
                out.append(ok ? c : '\uFFFD');
            }
        }
        return out == null ? s : out.toString();
    }
}
