package dev.taskexec.core;

import dev.taskexec.api.ExecutorProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds real plugin jars, directories and module layers for the registry tests: provider sources
 * are compiled at test time against the api classes, so the plugins are not on the test class path
 * and reach the registry only through the class loaders and layers the tests make.
 */
final class PluginJars {

    static final String SERVICE = "META-INF/services/" + ExecutorProvider.class.getName();

    private final Path root;
    private final Path classes;

    private PluginJars(Path root, Path classes) {
        this.root = root;
        this.classes = classes;
    }

    /** Source of a provider class named {@code pkg.cls} whose {@code name()} is {@code name}. */
    static String provider(
            String pkg, String cls, String name, String description, String constructorBody) {
        return """
                package %1$s;

                import dev.taskexec.api.Controller;
                import dev.taskexec.api.Executor;
                import dev.taskexec.api.ExecutorProvider;
                import dev.taskexec.api.RuntimeUnsupportedException;
                import dev.taskexec.api.proto.Node;
                import dev.taskexec.api.proto.NodeDescription;
                import dev.taskexec.api.proto.Task;
                import java.util.Map;

                public class %2$s implements ExecutorProvider {
                    public %2$s() { %5$s }
                    @Override public String name() { return "%3$s"; }
                    @Override public String description() { return "%4$s"; }
                    @Override public Executor create(Map<String, String> options) {
                        for (String key : options.keySet()) {
                            if (!key.equals("host")) {
                                throw new IllegalArgumentException("%3$s: unknown option '" + key + "'");
                            }
                        }
                        String host = "%3$s-" + options.getOrDefault("host", "default");
                        return new Executor() {
                            @Override public NodeDescription describe() {
                                return NodeDescription.newBuilder().setHostname(host).build();
                            }
                            @Override public void configure(Node node) {}
                            @Override public Controller controller(Task task) throws Exception {
                                throw new RuntimeUnsupportedException("%3$s runs nothing");
                            }
                        };
                    }
                }
                """
                .formatted(pkg, cls, name, description, constructorBody);
    }

    /** Compiles {@code sources} (fully qualified class name to source) under {@code root}. */
    static PluginJars compile(Path root, Map<String, String> sources) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException(
                    "the registry tests need a JDK (javax.tools), not a JRE");
        }
        Path src = Files.createDirectories(root.resolve("src"));
        Path classes = Files.createDirectories(root.resolve("classes"));
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "-d",
                                classes.toString(),
                                "-cp",
                                location(ExecutorProvider.class)
                                        + java.io.File.pathSeparator
                                        + location(com.google.protobuf.Message.class),
                                "--release",
                                "21",
                                "-proc:none",
                                "-Xlint:none"));
        for (var source : sources.entrySet()) {
            Path file = src.resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            args.add(file.toString());
        }
        var errors = new java.io.ByteArrayOutputStream();
        int status = javac.run(null, null, errors, args.toArray(String[]::new));
        if (status != 0) {
            throw new IllegalStateException("compiling test plugins failed:\n" + errors);
        }
        return new PluginJars(root, classes);
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A jar holding the classes of {@code packageName} and a services file listing
     * {@code services} (class names, possibly of classes that do not exist).
     */
    Path jar(String fileName, String packageName, String... services) throws IOException {
        Path jar = root.resolve(fileName);
        Path packageDir = classes.resolve(packageName.replace('.', '/'));
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream zip = new JarOutputStream(out)) {
            zip.putNextEntry(new JarEntry(SERVICE));
            zip.write((String.join("\n", services) + "\n").getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            if (Files.isDirectory(packageDir)) {
                try (Stream<Path> files = Files.walk(packageDir)) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        zip.putNextEntry(
                                new JarEntry(
                                        classes.relativize(file).toString().replace('\\', '/')));
                        zip.write(Files.readAllBytes(file));
                        zip.closeEntry();
                    }
                }
            }
        }
        return jar;
    }

    /** A class directory holding the classes of {@code packageName} and a services file. */
    Path directory(String dirName, String packageName, String... services) throws IOException {
        Path dir = root.resolve(dirName);
        Path from = classes.resolve(packageName.replace('.', '/'));
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path to = dir.resolve(classes.relativize(file));
                Files.createDirectories(to.getParent());
                Files.copy(file, to);
            }
        }
        Path service = dir.resolve(SERVICE);
        Files.createDirectories(service.getParent());
        try (Writer w = Files.newBufferedWriter(service)) {
            w.write(String.join("\n", services) + "\n");
        }
        return dir;
    }

    /**
     * A module layer over the boot layer whose module path is {@code jars}: plain jars there become
     * automatic modules (named after the file) that provide the services their
     * {@code META-INF/services} files list, as plugin jars placed on a layer's module path do.
     * Automatic modules read the unnamed module, where the api sits on the test class path.
     */
    static ModuleLayer layer(ClassLoader parent, Path... jars) {
        ModuleFinder finder = ModuleFinder.of(jars);
        Set<String> names = new java.util.HashSet<>();
        finder.findAll().forEach(reference -> names.add(reference.descriptor().name()));
        var configuration =
                ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), names);
        return ModuleLayer.boot().defineModulesWithOneLoader(configuration, parent);
    }
}
