package dev.taskexec.cli.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.conformance.ConformanceReport;
import dev.taskexec.conformance.RuleResult;
import dev.taskexec.conformance.RuleResult.Outcome;
import dev.taskexec.conformance.Rules;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/** {@code taskexec conformance --junit-xml}: the report CI tools read, checked against the JUnit XML schema. */
class JUnitXmlTest {

    private static Schema schema;

    private static final ConformanceReport REPORT =
            new ConformanceReport(
                    "my-backend",
                    "posix shell",
                    Instant.parse("2026-12-01T15:00:00.123Z"),
                    Duration.ofMillis(4321),
                    List.of(
                            new RuleResult(Rules.LC_1, Outcome.PASSED, "", Duration.ofMillis(12)),
                            new RuleResult(
                                    Rules.LC_2,
                                    Outcome.FAILED,
                                    "LC-2: the task ended FAILED, not COMPLETE <exit 1> & \"more\"\nsecond line\u0000\u001b[0m",
                                    Duration.ofMillis(1500)),
                            new RuleResult(
                                    Rules.LG_4,
                                    Outcome.FAILED,
                                    "LG-4: stderr lines came back on stdout",
                                    Duration.ofMillis(30)),
                            new RuleResult(
                                    Rules.RS_1,
                                    Outcome.SKIPPED,
                                    "RS-1: needs a resource probe",
                                    Duration.ZERO)));

    @BeforeAll
    static void loadSchema() throws SAXException {
        schema =
                SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                        .newSchema(JUnitXmlTest.class.getResource("/junit-xml/junit.xsd"));
    }

    private static void validate(String xml) throws Exception {
        schema.newValidator().validate(new StreamSource(new StringReader(xml)));
    }

    private static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new InputSource(new StringReader(xml)));
    }

    @Test
    void oneTestCasePerRuleWithTheKitsMessagesValidAgainstTheSchema() throws Exception {
        String xml = JUnitXml.of(REPORT);
        validate(xml);
        Document doc = parse(xml);
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertEquals("taskexec.conformance.my-backend", suite.getAttribute("name"));
        assertEquals("4", suite.getAttribute("tests"));
        assertEquals("2", suite.getAttribute("failures"));
        assertEquals("1", suite.getAttribute("skipped"));
        assertEquals("4.321", suite.getAttribute("time"));
        assertEquals("2026-12-01T15:00:00", suite.getAttribute("timestamp"));

        NodeList cases = doc.getElementsByTagName("testcase");
        assertEquals(4, cases.getLength());
        Element lc1 = (Element) cases.item(0);
        assertEquals("LC-1 " + Rules.LC_1.title(), lc1.getAttribute("name"));
        assertEquals("taskexec.conformance.my-backend.LC", lc1.getAttribute("classname"));
        assertEquals(0, lc1.getChildNodes().getLength(), "a passed rule is an empty test case");

        Element failure =
                (Element) ((Element) cases.item(1)).getElementsByTagName("failure").item(0);
        assertEquals(
                "LC-2: the task ended FAILED, not COMPLETE <exit 1> & \"more\"",
                failure.getAttribute("message"));
        assertEquals(
                "LC-2: the task ended FAILED, not COMPLETE <exit 1> & \"more\"\nsecond line\uFFFD\uFFFD[0m",
                failure.getTextContent(),
                "the kit's whole message, control characters replaced");

        Element optional =
                (Element) ((Element) cases.item(2)).getElementsByTagName("failure").item(0);
        assertEquals(
                "LG-4: stderr lines came back on stdout",
                optional.getAttribute("message"),
                "a failed optional rule fails the run, so it fails the XML too");
        Element skipped =
                (Element) ((Element) cases.item(3)).getElementsByTagName("skipped").item(0);
        assertEquals("RS-1: needs a resource probe", skipped.getAttribute("message"));
    }

    @Test
    void theSchemaRejectsWhatCiToolsWouldNotRead() {
        String noName =
                """
                <testsuites><testsuite name="s" tests="1" failures="0" errors="0" time="0.1"
                    timestamp="2026-12-01T15:00:00" hostname="h"><testcase classname="c" time="0"/></testsuite></testsuites>""";
        assertThrows(SAXException.class, () -> validate(noName), "a test case needs a name");
        String failureInSuite =
                """
                <testsuites><testsuite name="s" tests="1" failures="1" errors="0" time="0.1"
                    timestamp="2026-12-01T15:00:00" hostname="h"><failure type="x"/></testsuite></testsuites>""";
        assertThrows(SAXException.class, () -> validate(failureInSuite));
    }

    @Test
    void anEmptyReportIsAValidEmptySuite() throws Exception {
        String xml =
                JUnitXml.of(
                        new ConformanceReport(
                                "fake", "fake", Instant.EPOCH, Duration.ZERO, List.of()));
        validate(xml);
        assertTrue(xml.contains("tests=\"0\""), xml);
    }
}
