package dev.taskexec.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code taskexec conformance} certifies the fake backend and writes its report. */
class ConformanceIT {

    @Test
    void theFakeBackendConformsAndTheReportIsWritten(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("reports/fake.json");
        Path junitXml = dir.resolve("junit/TEST-fake.xml");

        Cli.Result r =
                Cli.run(
                        Duration.ofMinutes(5),
                        "conformance",
                        "-e",
                        "fake",
                        "--report",
                        report.toString(),
                        "--junit-xml",
                        junitXml.toString());

        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(
                r.stdout().lines().anyMatch(l -> l.matches("\\[\\s*\\d+/\\d+] PASS LC-1 .*")),
                "progress is printed rule by rule\n" + r);
        assertTrue(
                r.stdout()
                        .lines()
                        .anyMatch(l -> l.matches("FAMILY\\s+PASSED\\s+FAILED\\s+SKIPPED")),
                "a summary table\n" + r);
        assertTrue(r.stdout().contains("CONFORMS"), r.toString());
        String json = Files.readString(report, StandardCharsets.UTF_8);
        assertTrue(json.contains("\"provider\": \"fake\""), json);
        assertTrue(json.contains("\"conforms\": true"), json);
        assertTrue(json.contains("\"id\": \"LC-1\""), json);

        javax.xml.validation.SchemaFactory.newInstance(javax.xml.XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(ConformanceIT.class.getResource("/junit-xml/junit.xsd"))
                .newValidator()
                .validate(new javax.xml.transform.stream.StreamSource(junitXml.toFile()));
        String xml = Files.readString(junitXml, StandardCharsets.UTF_8);
        assertEquals(
                dev.taskexec.conformance.Rules.all().size(),
                xml.split("<testcase ", -1).length - 1,
                "one test case per rule\n" + xml);
        assertTrue(xml.contains("failures=\"0\""), xml);
        assertTrue(r.stdout().contains("JUnit XML report written to " + junitXml), r.toString());
    }

    /** The printed verdict, the exit code and the JSON report agree, whichever way the verdict goes. */
    @Test
    void verdictExitCodeAndReportAgree(@TempDir Path dir) throws Exception {
        Path passing = dir.resolve("passing.json");
        Cli.Result ok =
                Cli.run(
                        Duration.ofMinutes(2),
                        "conformance",
                        "-e",
                        "process",
                        "--rules",
                        "LC-1,EX-5",
                        "--report",
                        passing.toString());

        assertEquals(0, ok.exitCode(), ok.toString());
        assertTrue(ok.stdout().contains("Executor 'process' CONFORMS"), ok.toString());
        String okJson = Files.readString(passing, StandardCharsets.UTF_8);
        assertTrue(okJson.contains("\"conforms\": true"), okJson);
        // The process backend's controllers are no PortStatuser: EX-5 is skipped, not failed.
        assertTrue(
                okJson.contains("\"id\": \"EX-5\"") && okJson.contains("\"outcome\": \"SKIPPED\""),
                okJson);

        Path failing = dir.resolve("failing.json");
        Cli.Result bad =
                Cli.run(
                        Duration.ofMinutes(2),
                        "conformance",
                        "-e",
                        "process",
                        "--rules",
                        "LC-1,EX-5",
                        "--capabilities",
                        "PORT_STATUS",
                        "--report",
                        failing.toString());

        assertEquals(1, bad.exitCode(), bad.toString());
        assertTrue(bad.stdout().contains("Executor 'process' DOES NOT CONFORM"), bad.toString());
        String badJson = Files.readString(failing, StandardCharsets.UTF_8);
        assertTrue(badJson.contains("\"conforms\": false"), badJson);
        assertTrue(badJson.contains("is not a PortStatuser"), badJson);
    }

    @Test
    void anUnreachableRuntimeIsOneLineNotFortyFailedRules() throws Exception {
        Cli.Result r =
                Cli.run(
                        Duration.ofSeconds(60),
                        "conformance",
                        "-e",
                        "docker",
                        "-o",
                        "host=tcp://127.0.0.1:1",
                        "--image",
                        "taskexec-test:latest");

        assertEquals(1, r.exitCode(), r.toString());
        assertEquals(1, r.stderr().lines().count(), r.toString());
        assertTrue(
                r.stderr().startsWith("taskexec: executor 'docker' cannot run here: "),
                r.toString());
        assertEquals("", r.stdout(), r.toString());
    }

    @Test
    void anUnknownRuleIsAUsageError() throws Exception {
        Cli.Result r =
                Cli.run(Duration.ofSeconds(60), "conformance", "-e", "fake", "--rules", "XX-1");

        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("XX-1"), r.toString());
    }
}
