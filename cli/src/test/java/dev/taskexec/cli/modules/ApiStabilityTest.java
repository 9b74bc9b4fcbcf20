package dev.taskexec.cli.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.agent.SwarmNode;
import dev.taskexec.api.Controller;
import dev.taskexec.conformance.ExecutorConformance;
import dev.taskexec.core.Worker;
import dev.taskexec.executor.docker.DockerExecutorProvider;
import dev.taskexec.executor.fake.FakeExecutorProvider;
import dev.taskexec.executor.process.ProcessExecutorProvider;
import dev.taskexec.store.sqlite.SqliteTaskStore;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apiguardian.api.API;
import org.junit.jupiter.api.Test;

/**
 * Every public type of every library module declares its stability with {@code @API}
 * (README, "API stability"). The types are read from each module's built classes, so a type added
 * without the annotation fails here, whichever module it is in.
 *
 * <p>A nested type may take its status from the type around it. The classes protobuf generates
 * carry no annotations of their own: their packages (listed in {@link #GENERATED}) declare it in
 * {@code package-info.java}. A type in a package its module does not export is not API whatever it
 * says, so its status must be {@code INTERNAL}.
 */
class ApiStabilityTest {

    /** Each library module, by one class it holds (which finds the module's classes on this path). */
    private static final Map<String, Class<?>> LIBRARY_MODULES =
            Map.of(
                    "dev.taskexec.api", Controller.class,
                    "dev.taskexec.core", Worker.class,
                    "dev.taskexec.executor.fake", FakeExecutorProvider.class,
                    "dev.taskexec.executor.process", ProcessExecutorProvider.class,
                    "dev.taskexec.executor.docker", DockerExecutorProvider.class,
                    "dev.taskexec.conformance", ExecutorConformance.class,
                    "dev.taskexec.store.sqlite", SqliteTaskStore.class,
                    "dev.taskexec.agent", SwarmNode.class);

    /** Packages of generated classes, whose {@code package-info.java} carries their {@code @API}. */
    private static final Set<String> GENERATED =
            Set.of("dev.taskexec.api.proto", "dev.taskexec.agent.proto");

    @Test
    void everyPublicTypeOfEveryLibraryModuleDeclaresItsStability() throws IOException {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (var module : LIBRARY_MODULES.entrySet()) {
            ModuleReference reference = moduleOf(module.getValue());
            ModuleDescriptor descriptor = reference.descriptor();
            assertEquals(
                    module.getKey(), descriptor.name(), "the module holding " + module.getValue());
            Set<String> exported =
                    descriptor.exports().stream()
                            .filter(export -> !export.isQualified())
                            .map(ModuleDescriptor.Exports::source)
                            .collect(Collectors.toSet());
            for (Class<?> type : classesOf(reference)) {
                if (isVisible(type)) {
                    checked++;
                    problem(type, exported.contains(type.getPackageName()))
                            .ifPresent(problems::add);
                }
            }
        }
        assertEquals(List.of(), problems, "types whose stability is missing or wrong");
        // The api module alone has well over a hundred generated public types: an empty scan is a
        // bug here.
        assertTrue(checked > 200, "only " + checked + " public types found");
    }

    @Test
    void aPublicTypeWithoutItsStabilityIsReported() {
        assertEquals(
                Optional.of(Unannotated.class.getName() + " has no @API"),
                problem(Unannotated.class, true));
        assertEquals(Optional.empty(), problem(Stable.class, true));
        assertEquals(
                Optional.empty(),
                problem(Stable.Nested.class, true),
                "a nested type takes its enclosing type's status");
        assertEquals(
                Optional.of(
                        Stable.class.getName() + " is in an unexported package but says STABLE"),
                problem(Stable.class, false));
    }

    /** What is wrong with a visible type's {@code @API}, if anything. */
    static Optional<String> problem(Class<?> type, boolean exported) {
        Optional<API> api = declared(type);
        if (api.isEmpty()) {
            return Optional.of(type.getName() + " has no @API");
        }
        if (api.get().since().isBlank()) {
            return Optional.of(type.getName() + " has an @API without since");
        }
        if (!exported && api.get().status() != API.Status.INTERNAL) {
            return Optional.of(
                    type.getName() + " is in an unexported package but says " + api.get().status());
        }
        return Optional.empty();
    }

    private static Optional<API> declared(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            API api = t.getAnnotation(API.class);
            if (api != null) {
                return Optional.of(api);
            }
        }
        if (GENERATED.contains(type.getPackageName())) {
            return Optional.ofNullable(type.getPackage().getAnnotation(API.class));
        }
        return Optional.empty();
    }

    /** Public, or a public or protected member of a visible type: what another module can name. */
    private static boolean isVisible(Class<?> type) {
        if (type.isAnonymousClass() || type.isLocalClass() || type.isSynthetic()) {
            return false;
        }
        int modifiers = type.getModifiers();
        Class<?> enclosing = type.getEnclosingClass();
        if (enclosing == null) {
            return Modifier.isPublic(modifiers);
        }
        return (Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers))
                && isVisible(enclosing);
    }

    private static ModuleReference moduleOf(Class<?> member) {
        Path location;
        try {
            location = Path.of(member.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Set<ModuleReference> found = ModuleFinder.of(location).findAll();
        assertEquals(1, found.size(), "one module at " + location);
        return found.iterator().next();
    }

    private static List<Class<?>> classesOf(ModuleReference reference) throws IOException {
        ClassLoader loader = ApiStabilityTest.class.getClassLoader();
        List<Class<?>> classes = new ArrayList<>();
        try (ModuleReader reader = reference.open()) {
            for (String name : reader.list().sorted().toList()) {
                if (!name.endsWith(".class")
                        || name.endsWith("module-info.class")
                        || name.endsWith("package-info.class")
                        || name.startsWith("META-INF/")) {
                    continue;
                }
                String className =
                        name.substring(0, name.length() - ".class".length()).replace('/', '.');
                try {
                    classes.add(Class.forName(className, false, loader));
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(
                            className + " is listed in its module but cannot be loaded", e);
                }
            }
        }
        return classes;
    }

    /** A type without {@code @API}, which the check must report. */
    public static final class Unannotated {}

    /** A type with {@code @API}, and a nested type that takes its status. */
    @API(status = API.Status.STABLE, since = "0.1")
    public static final class Stable {

        /** Covered by its enclosing type. */
        public static final class Nested {}
    }
}
