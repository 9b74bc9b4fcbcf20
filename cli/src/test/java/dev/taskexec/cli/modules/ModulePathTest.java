package dev.taskexec.cli.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library jars as named modules: a JVM started with {@code --module-path} (and no class path)
 * finds every bundled backend and a third-party backend jar through {@code provides}/{@code uses},
 * opens each and runs a task on it; and each descriptor exports exactly the public API.
 *
 * <p>The module path is this module's runtime class path as Maven resolved it
 * ({@code target/runtime-classpath.txt}, written by the dependency plugin): the taskexec modules
 * and their third-party jars, which become automatic modules.
 */
class ModulePathTest {

    private static final Path RUNTIME_CLASSPATH = Path.of("target", "runtime-classpath.txt");
    private static final Path SOURCES = Path.of("src", "test", "resources", "module-path");

    private static List<Path> modulePath;

    @BeforeAll
    static void readModulePath() throws IOException {
        String classpath = Files.readString(RUNTIME_CLASSPATH).strip();
        modulePath = Stream.of(classpath.split(java.io.File.pathSeparator)).map(Path::of).toList();
    }

    @Test
    void aJvmOnTheModulePathFindsOpensAndRunsEveryBackendAndAThirdPartyModule(@TempDir Path work)
            throws Exception {
        Path classes = compile(work.resolve("classes"));
        Path backendJar =
                jar(classes.resolve("example.backend"), work.resolve("example-backend.jar"));

        List<String> backends = new ArrayList<>(List.of("fake", "process", "echo"));
        if (dockerExpected()) {
            backends.add("docker");
        }
        List<Path> path = new ArrayList<>(modulePath);
        path.add(classes.resolve("example.app"));
        path.add(backendJar);
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Command.java(),
                                "--enable-native-access=com.sun.jna",
                                "--module-path",
                                join(path),
                                "--module",
                                "example.app/example.app.RunEach"));
        command.addAll(backends);
        Command run = Command.run(Duration.ofSeconds(120), null, Map.of(), command);
        String out = run.output();
        assertEquals(0, run.exitCode(), out);

        assertTrue(
                out.contains("core module=dev.taskexec.core\n"),
                "core is a named module, not on a class path:\n" + out);
        Map<String, String> modules =
                Map.of(
                        "fake", "dev.taskexec.executor.fake",
                        "process", "dev.taskexec.executor.process",
                        "docker", "dev.taskexec.executor.docker",
                        "echo", "example.backend");
        for (String backend : backends) {
            String line = backend + " module=" + modules.get(backend) + " state=FAILED exit=3";
            assertTrue(out.contains(line + "\n"), "expected '" + line + "' in:\n" + out);
        }
    }

    @Test
    void eachDescriptorExportsItsPublicApiAndProvidesItsBackend() {
        Map<String, ModuleDescriptor> descriptors = new TreeMap<>();
        ModuleFinder.of(modulePath.toArray(Path[]::new)).findAll().stream()
                .map(reference -> reference.descriptor())
                .filter(d -> d.name().startsWith("dev.taskexec."))
                .forEach(d -> descriptors.put(d.name(), d));
        assertTrue(
                descriptors
                        .keySet()
                        .containsAll(
                                Set.of(
                                        "dev.taskexec.api",
                                        "dev.taskexec.core",
                                        "dev.taskexec.executor.fake",
                                        "dev.taskexec.executor.process",
                                        "dev.taskexec.executor.docker",
                                        "dev.taskexec.conformance")),
                descriptors.keySet().toString());
        for (ModuleDescriptor descriptor : descriptors.values()) {
            assertTrue(
                    !descriptor.isAutomatic() && !descriptor.isOpen(),
                    descriptor + " is an explicit, closed module");
        }
        assertEquals(
                Set.of(
                        "dev.taskexec.api",
                        "dev.taskexec.api.input",
                        "dev.taskexec.api.proto",
                        "dev.taskexec.api.support"),
                exports(descriptors.get("dev.taskexec.api")));
        assertEquals(
                Set.of("dev.taskexec.conformance"),
                exports(descriptors.get("dev.taskexec.conformance")),
                "the kit's machinery (dev.taskexec.conformance.check) stays internal");
        assertTrue(
                descriptors
                        .get("dev.taskexec.core")
                        .uses()
                        .contains("dev.taskexec.api.ExecutorProvider"));
        Map<String, String> providers =
                Map.of(
                        "dev.taskexec.executor.fake",
                                "dev.taskexec.executor.fake.FakeExecutorProvider",
                        "dev.taskexec.executor.process",
                                "dev.taskexec.executor.process.ProcessExecutorProvider",
                        "dev.taskexec.executor.docker",
                                "dev.taskexec.executor.docker.DockerExecutorProvider");
        providers.forEach(
                (module, provider) -> {
                    var provides = descriptors.get(module).provides();
                    assertEquals(1, provides.size(), module + " provides " + provides);
                    var only = provides.iterator().next();
                    assertEquals("dev.taskexec.api.ExecutorProvider", only.service());
                    assertEquals(List.of(provider), only.providers());
                });
    }

    private static Set<String> exports(ModuleDescriptor descriptor) {
        return descriptor.exports().stream()
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
    }

    /** Compiles the two example modules against the module path; returns the exploded modules' root. */
    private static Path compile(Path out) throws IOException {
        var javac = ToolProvider.getSystemJavaCompiler();
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "-d",
                                out.toString(),
                                "--module-source-path",
                                SOURCES.toString(),
                                "--module-path",
                                join(modulePath),
                                "--module",
                                "example.backend,example.app",
                                "--release",
                                "21",
                                "-proc:none",
                                "-Xlint:-requires-automatic"));
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = javac.run(null, errors, errors, args.toArray(String[]::new));
        assertEquals(0, status, "compiling the example modules failed:\n" + errors);
        return out;
    }

    private static Path jar(Path classes, Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream zip = new JarOutputStream(file);
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                zip.write(Files.readAllBytes(f));
                zip.closeEntry();
            }
        }
        return jar;
    }

    /** Docker runs where its socket is, and must under CI (as the Docker backend's own tests). */
    private static boolean dockerExpected() {
        return "true".equalsIgnoreCase(System.getenv("CI"))
                || System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"));
    }

    private static String join(List<Path> paths) {
        return paths.stream()
                .map(Path::toString)
                .collect(Collectors.joining(java.io.File.pathSeparator));
    }
}
