package dev.taskexec.cli.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A separate Maven project that uses taskexec as a stranger would (cli's test resource
 * {@code consumer/}): it imports {@code taskexec-bom}, depends on core and backends without
 * versions, has its own backend "tiny" (module-info and services file) certified by the kit in its
 * own tests, and a main class run here on the class path and on the module path.
 *
 * <p>It is built against this build's artifacts, copied into a private local repository under
 * {@code target/consumer/repo}; the shared {@code ~/.m2} is only read, as the file URL of a mirror
 * for third-party artifacts, so the build needs no network and writes nothing outside target/.
 */
class ConsumerProjectIT {

    /** Published modules: folder and artifact id. */
    private static final Map<String, String> PUBLISHED =
            Map.of(
                    "api", "taskexec-api",
                    "core", "taskexec-core",
                    "executor-fake", "taskexec-executor-fake",
                    "executor-process", "taskexec-executor-process",
                    "executor-docker", "taskexec-executor-docker",
                    "conformance-tests", "taskexec-conformance",
                    "store-sqlite", "taskexec-store-sqlite",
                    "agent", "taskexec-agent");

    private static final Path ROOT =
            Path.of(System.getProperty("taskexec.root", "..")).toAbsolutePath().normalize();
    private static final String VERSION = System.getProperty("taskexec.version");
    private static final Path WORK = ROOT.resolve("cli/target/consumer");

    private static Command build;

    @BeforeAll
    static void buildTheConsumerProject() throws Exception {
        assertTrue(VERSION != null && !VERSION.isBlank(), "the build passes -Dtaskexec.version");
        deleteRecursively(WORK);
        Path project =
                copyTree(ROOT.resolve("cli/src/test/resources/consumer"), WORK.resolve("project"));
        Path repo = Files.createDirectories(WORK.resolve("repo"));
        install(repo, ROOT.resolve("pom.xml"), "taskexec-parent", null);
        install(repo, ROOT.resolve("bom/pom.xml"), "taskexec-bom", null);
        for (var module : PUBLISHED.entrySet()) {
            Path dir = ROOT.resolve(module.getKey());
            install(
                    repo,
                    dir.resolve("pom.xml"),
                    module.getValue(),
                    dir.resolve("target/" + module.getValue() + "-" + VERSION + ".jar"));
        }
        Path settings = WORK.resolve("settings.xml");
        Files.writeString(
                settings,
                """
                <settings>
                  <mirrors>
                    <mirror>
                      <id>shared-repository-read-only</id>
                      <mirrorOf>*</mirrorOf>
                      <url>%s</url>
                    </mirror>
                  </mirrors>
                </settings>
                """
                        .formatted(sharedRepository().toUri()));
        build =
                Command.run(
                        Duration.ofMinutes(5),
                        project,
                        Map.of("JAVA_HOME", System.getProperty("java.home"), "MAVEN_OPTS", ""),
                        List.of(
                                ROOT.resolve("mvnw").toString(),
                                "-B",
                                "-ntp",
                                "-s",
                                settings.toString(),
                                "-Dmaven.repo.local=" + repo,
                                "-Dtaskexec.version=" + VERSION,
                                "package"));
    }

    @Test
    void theProjectBuildsWithTheBomAndTheKitCertifiesItsOwnBackend() throws IOException {
        assertEquals(0, build.exitCode(), build.toString());
        Path report =
                WORK.resolve(
                        "project/target/surefire-reports/TEST-consumer.TinyConformanceTest.xml");
        String xml = Files.readString(report);
        assertTrue(
                xml.matches("(?s).*<testsuite [^>]*tests=\"[1-9][0-9]*\".*"),
                "the kit's rules ran as tests:\n" + xml);
        assertTrue(
                xml.matches("(?s).*<testsuite [^>]*failures=\"0\".*")
                        && xml.matches("(?s).*<testsuite [^>]*errors=\"0\".*"),
                "the consumer's backend passed the kit:\n" + xml);
    }

    @Test
    void itsMainRunsATaskOnTheClassPath() throws Exception {
        assertEquals(0, build.exitCode(), build.toString());
        Path target = WORK.resolve("project/target");
        Command run =
                Command.run(
                        Duration.ofSeconds(60),
                        null,
                        Map.of(),
                        List.of(
                                Command.java(),
                                "--enable-native-access=ALL-UNNAMED",
                                "-cp",
                                target.resolve("consumer-1.jar")
                                        + java.io.File.pathSeparator
                                        + target.resolve("lib")
                                        + "/*",
                                "consumer.Main"));
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.output().contains("core: class path\n"), run.toString());
        assertTrue(run.output().contains("process: class path\n"), run.toString());
        assertTrue(
                run.output().contains("tiny: class path\n"),
                "found through its services file\n" + run);
        assertTrue(run.output().contains("task: FAILED exit 3\n"), run.toString());
    }

    @Test
    void itsMainRunsATaskOnTheModulePath() throws Exception {
        assertEquals(0, build.exitCode(), build.toString());
        Path target = WORK.resolve("project/target");
        Command run =
                Command.run(
                        Duration.ofSeconds(60),
                        null,
                        Map.of(),
                        List.of(
                                Command.java(),
                                "--enable-native-access=com.sun.jna",
                                "--module-path",
                                target.resolve("consumer-1.jar")
                                        + java.io.File.pathSeparator
                                        + target.resolve("lib"),
                                "--module",
                                "consumer/consumer.Main"));
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.output().contains("core: module dev.taskexec.core\n"), run.toString());
        assertTrue(
                run.output().contains("process: module dev.taskexec.executor.process\n"),
                run.toString());
        assertTrue(
                run.output().contains("tiny: module consumer\n"),
                "found through its provides clause\n" + run);
        assertTrue(run.output().contains("task: FAILED exit 3\n"), run.toString());
    }

    /** Lays an artifact out as `mvn install` would (a locally installed artifact needs no metadata). */
    private static void install(Path repo, Path pom, String artifactId, Path jar)
            throws IOException {
        Path dir =
                Files.createDirectories(repo.resolve("dev/taskexec/" + artifactId + "/" + VERSION));
        Files.copy(pom, dir.resolve(artifactId + "-" + VERSION + ".pom"));
        if (jar != null) {
            assertTrue(
                    Files.isRegularFile(jar), jar + " is built before the integration tests run");
            Files.copy(jar, dir.resolve(artifactId + "-" + VERSION + ".jar"));
        }
    }

    /** The local repository the build itself reads, found from a third-party jar on the test class path. */
    private static Path sharedRepository() throws Exception {
        Path jar =
                Path.of(
                        com.google.protobuf.Message.class
                                .getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI());
        // REPO/com/google/protobuf/protobuf-java/VERSION/protobuf-java-VERSION.jar
        return jar.getParent().getParent().getParent().getParent().getParent().getParent();
    }

    private static Path copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return to;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
