package dev.taskexec.cli.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a third-party backend jar the way a plugin author would: one {@code ExecutorProvider}
 * compiled against the taskexec jar, registered in {@code META-INF/services}. It names itself
 * {@code plugin-demo} and delegates to the fake backend, so it needs nothing but what the
 * command already ships.
 */
final class PluginJar {

    private PluginJar() {}

    static final String NAME = "plugin-demo";

    private static final String SOURCE =
            """
            package demo.plugin;

            import dev.taskexec.api.Executor;
            import dev.taskexec.api.ExecutorProvider;
            import java.util.Map;

            public final class DemoProvider implements ExecutorProvider {
                public String name() { return "plugin-demo"; }
                public String description() { return "a plugin for the tests (the fake backend under another name)"; }
                public Executor create(Map<String, String> options) throws Exception {
                    return new dev.taskexec.executor.fake.FakeExecutorProvider().create(options);
                }
            }
            """;

    /** Compiles the plugin into {@code dir/plugin-demo.jar} and returns its path. */
    static Path build(Path dir) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/demo/plugin"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Path java =
                Files.writeString(src.resolve("DemoProvider.java"), SOURCE, StandardCharsets.UTF_8);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("the tests need a JDK (javac), not a JRE");
        }
        int rc =
                javac.run(
                        null,
                        null,
                        null,
                        "--release",
                        "21",
                        "-cp",
                        Cli.JAR.toString(),
                        "-d",
                        classes.toString(),
                        java.toString());
        if (rc != 0) {
            throw new IllegalStateException("compiling the demo plugin failed (" + rc + ")");
        }
        Path jar = dir.resolve(NAME + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            put(
                    out,
                    "META-INF/services/dev.taskexec.api.ExecutorProvider",
                    "demo.plugin.DemoProvider\n".getBytes(StandardCharsets.UTF_8));
            put(
                    out,
                    "demo/plugin/DemoProvider.class",
                    Files.readAllBytes(classes.resolve("demo/plugin/DemoProvider.class")));
        }
        return jar;
    }

    private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        OutputStream entry = out;
        entry.write(bytes);
        out.closeEntry();
    }
}
