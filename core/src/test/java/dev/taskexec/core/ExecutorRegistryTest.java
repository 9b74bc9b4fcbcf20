package dev.taskexec.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.Executor;
import dev.taskexec.api.ExecutorProvider;
import dev.taskexec.api.proto.NodeDescription;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ExecutorRegistry} over real plugin jars and directories compiled in the test, loaded
 * through URL class loaders and a module layer.
 */
class ExecutorRegistryTest {

    @TempDir static Path root;

    static PluginJars plugins;
    static final List<URLClassLoader> loaders = new ArrayList<>();

    @BeforeAll
    static void compilePlugins() throws IOException {
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put(
                "plugin.alpha.AlphaProvider",
                PluginJars.provider(
                        "plugin.alpha", "AlphaProvider", "alpha", "The alpha backend", ""));
        sources.put(
                "plugin.beta.BetaProvider",
                PluginJars.provider("plugin.beta", "BetaProvider", "beta", "The beta backend", ""));
        sources.put(
                "plugin.one.SameProvider",
                PluginJars.provider("plugin.one", "SameProvider", "same", "first", ""));
        sources.put(
                "plugin.two.SameProvider",
                PluginJars.provider("plugin.two", "SameProvider", "same", "second", ""));
        sources.put(
                "plugin.upper.UpperProvider",
                PluginJars.provider("plugin.upper", "UpperProvider", "Docker", "", ""));
        sources.put(
                "plugin.spaced.SpacedProvider",
                PluginJars.provider("plugin.spaced", "SpacedProvider", "my runtime", "", ""));
        sources.put(
                "plugin.broken.BrokenProvider",
                PluginJars.provider(
                        "plugin.broken",
                        "BrokenProvider",
                        "broken",
                        "",
                        "if (true) throw new IllegalStateException(\"broken on purpose\");"));
        sources.put(
                "plugin.modular.ModularProvider",
                PluginJars.provider(
                        "plugin.modular", "ModularProvider", "modular", "From a layer", ""));
        // A provider whose superclass is in another package, left out of its jar: loading it fails
        // with a LinkageError, as a plugin jar missing one of its dependencies does.
        sources.put(
                "plugin.orphanbase.Base",
                "package plugin.orphanbase; public abstract class Base {}");
        sources.put(
                "plugin.orphan.OrphanProvider",
                PluginJars.provider("plugin.orphan", "OrphanProvider", "orphan", "", "")
                        .replace(
                                "public class OrphanProvider implements",
                                "public class OrphanProvider extends plugin.orphanbase.Base implements"));
        plugins = PluginJars.compile(root, sources);
    }

    @AfterAll
    static void closeLoaders() throws IOException {
        for (URLClassLoader loader : loaders) {
            loader.close();
        }
    }

    /** A class loader over plugin jars/directories, on top of the test class path. */
    static URLClassLoader loader(Path... paths) throws IOException {
        URL[] urls = new URL[paths.length];
        for (int i = 0; i < paths.length; i++) {
            urls[i] = paths[i].toUri().toURL();
        }
        URLClassLoader loader =
                new URLClassLoader(urls, ExecutorRegistryTest.class.getClassLoader());
        loaders.add(loader);
        return loader;
    }

    /** Names visible without any plugin (for example the fake backend, a test dependency). */
    static List<String> baseline() {
        return ExecutorRegistry.load(ExecutorRegistryTest.class.getClassLoader()).names();
    }

    @Test
    void listsProvidersFromAJarAndADirectoryWithWhereEachCameFrom() throws IOException {
        Path alpha = plugins.jar("alpha.jar", "plugin.alpha", "plugin.alpha.AlphaProvider");
        Path beta =
                plugins.directory(
                        "beta-classes", "plugin.beta", "# a comment", "plugin.beta.BetaProvider");
        ExecutorRegistry registry = ExecutorRegistry.load(loader(alpha, beta));

        List<String> expected = new ArrayList<>(baseline());
        expected.add("alpha");
        expected.add("beta");
        expected.sort(null);
        assertEquals(expected, registry.names(), "sorted by name");

        ExecutorRegistry.Entry a = registry.find("alpha").orElseThrow();
        assertEquals("The alpha backend", a.description());
        assertEquals("plugin.alpha.AlphaProvider", a.providerClass());
        assertEquals(alpha.toString(), a.source());
        ExecutorRegistry.Entry b = registry.find("beta").orElseThrow();
        assertEquals(beta.toString(), b.source());
        assertEquals(
                registry.names(),
                registry.providers().stream().map(ExecutorRegistry.Entry::name).toList());
        assertTrue(registry.find("gamma").isEmpty());
    }

    @Test
    void opensAnExecutorByNameWithItsOptions() throws Exception {
        ExecutorRegistry registry =
                ExecutorRegistry.load(
                        loader(
                                plugins.jar(
                                        "alpha-open.jar",
                                        "plugin.alpha",
                                        "plugin.alpha.AlphaProvider")));
        try (Executor executor = registry.open("alpha", Map.of("host", "h1"))) {
            assertEquals("alpha-h1", executor.describe().getHostname());
        }
        try (Executor executor = registry.open("alpha")) {
            assertEquals(
                    NodeDescription.newBuilder().setHostname("alpha-default").build(),
                    executor.describe());
        }
    }

    @Test
    void aProviderRejectingAnOptionNamesItAndTheErrorPassesThroughUnchanged() throws IOException {
        ExecutorRegistry registry =
                ExecutorRegistry.load(
                        loader(
                                plugins.jar(
                                        "alpha-bad.jar",
                                        "plugin.alpha",
                                        "plugin.alpha.AlphaProvider")));
        var e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> registry.open("alpha", Map.of("colour", "red")));
        assertEquals("alpha: unknown option 'colour'", e.getMessage());
    }

    @Test
    void aNullOptionValueIsRejectedByName() throws IOException {
        ExecutorRegistry registry =
                ExecutorRegistry.load(
                        loader(
                                plugins.jar(
                                        "alpha-null.jar",
                                        "plugin.alpha",
                                        "plugin.alpha.AlphaProvider")));
        Map<String, String> options = new HashMap<>();
        options.put("host", null);
        var e = assertThrows(IllegalArgumentException.class, () -> registry.open("alpha", options));
        assertTrue(e.getMessage().contains("option 'host' has a null value"), e.getMessage());
    }

    @Test
    void anUnknownNameListsTheAvailableNames() throws IOException {
        ExecutorRegistry registry =
                ExecutorRegistry.load(
                        loader(
                                plugins.jar(
                                        "alpha-unknown.jar",
                                        "plugin.alpha",
                                        "plugin.alpha.AlphaProvider"),
                                plugins.directory(
                                        "beta-unknown",
                                        "plugin.beta",
                                        "plugin.beta.BetaProvider")));
        var e =
                assertThrows(
                        IllegalArgumentException.class, () -> registry.open("gamma", Map.of()));
        assertTrue(
                e.getMessage().startsWith("no executor named 'gamma'; available: "),
                e.getMessage());
        assertTrue(
                e.getMessage()
                        .endsWith(
                                String.join(", ", registry.names())
                                        + " (TE-REG-002, see https://github.com/taskexec/taskexec/blob/main/docs/codes.md#te-reg-002)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("alpha, beta"), e.getMessage());

        var cased = assertThrows(IllegalArgumentException.class, () -> registry.open("Alpha"));
        assertTrue(cased.getMessage().contains("did you mean 'alpha'?"), cased.getMessage());
        assertCoded(Diagnostic.UNKNOWN_EXECUTOR, cased.getMessage());

        var required =
                assertThrows(IllegalArgumentException.class, () -> registry.require("gamma"));
        assertEquals(e.getMessage(), required.getMessage(), "require fails as open does");
        assertEquals("alpha", registry.require("alpha").name());
    }

    @Test
    void anUnknownNameWithNothingInstalledSaysSo() {
        ExecutorRegistry registry = ExecutorRegistry.load(ClassLoader.getPlatformClassLoader());
        assertEquals(List.of(), registry.names());
        var e = assertThrows(IllegalArgumentException.class, () -> registry.open("docker"));
        assertTrue(e.getMessage().contains("no executor is installed"), e.getMessage());
        assertCoded(Diagnostic.NO_EXECUTOR_INSTALLED, e.getMessage());
    }

    @Test
    void twoProvidersWithOneNameAreAnErrorNamingBothClassesAndJars() throws IOException {
        Path one = plugins.jar("same-one.jar", "plugin.one", "plugin.one.SameProvider");
        Path two = plugins.jar("same-two.jar", "plugin.two", "plugin.two.SameProvider");
        URLClassLoader loader = loader(one, two);
        var e =
                assertThrows(
                        ProviderConfigurationException.class, () -> ExecutorRegistry.load(loader));
        String message = e.getMessage();
        assertTrue(message.contains("executor name 'same' is provided 2 times"), message);
        assertTrue(message.contains("plugin.one.SameProvider (from " + one + ")"), message);
        assertTrue(message.contains("plugin.two.SameProvider (from " + two + ")"), message);
        assertEquals(1, e.problems().size());
        assertCoded(Diagnostic.DUPLICATE_NAME, message);
    }

    @Test
    void aNameThatIsNotLowerCaseIsRejectedWithAHint() throws IOException {
        Path upper = plugins.jar("upper.jar", "plugin.upper", "plugin.upper.UpperProvider");
        URLClassLoader loader = loader(upper);
        var e =
                assertThrows(
                        ProviderConfigurationException.class, () -> ExecutorRegistry.load(loader));
        assertTrue(
                e.getMessage()
                        .contains(
                                "plugin.upper.UpperProvider (from "
                                        + upper
                                        + ") has the invalid name 'Docker'"),
                e.getMessage());
        assertTrue(
                e.getMessage().contains("names are " + ExecutorProvider.NAME_SYNTAX),
                e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'docker'?"), e.getMessage());
        assertCoded(Diagnostic.INVALID_NAME, e.getMessage());
    }

    @Test
    void everyProblemIsReportedAtOnce() throws IOException {
        URLClassLoader loader =
                loader(
                        plugins.jar("spaced.jar", "plugin.spaced", "plugin.spaced.SpacedProvider"),
                        plugins.jar("broken.jar", "plugin.broken", "plugin.broken.BrokenProvider"),
                        plugins.jar(
                                "missing.jar", "plugin.missing", "plugin.missing.NoSuchProvider"),
                        plugins.jar(
                                "alpha-fine.jar", "plugin.alpha", "plugin.alpha.AlphaProvider"));
        var e =
                assertThrows(
                        ProviderConfigurationException.class, () -> ExecutorRegistry.load(loader));
        assertEquals(3, e.problems().size(), e.getMessage());
        assertTrue(
                e.getMessage().startsWith("3 problems with the installed executor providers:"),
                e.getMessage());
        assertTrue(e.getMessage().contains("invalid name 'my runtime'"), e.getMessage());
        assertTrue(e.getMessage().contains("plugin.broken.BrokenProvider"), e.getMessage());
        assertTrue(e.getMessage().contains("plugin.missing.NoSuchProvider"), e.getMessage());
        assertTrue(
                e.getCause() instanceof java.util.ServiceConfigurationError,
                "the first failure is the cause");
        assertEquals(1, e.getSuppressed().length);
        // each problem, on its own line, carries its own code
        assertEquals(1, e.problems().stream().filter(p -> p.contains("'my runtime'")).count());
        e.problems().stream()
                .filter(p -> p.contains("'my runtime'"))
                .forEach(p -> assertCoded(Diagnostic.INVALID_NAME, p));
        e.problems().stream()
                .filter(p -> !p.contains("'my runtime'"))
                .forEach(p -> assertCoded(Diagnostic.PROVIDER_NOT_LOADED, p));
    }

    @Test
    void aProviderMissingAClassItNeedsIsAConfigurationProblemNotAnError() throws IOException {
        Path orphan = plugins.jar("orphan.jar", "plugin.orphan", "plugin.orphan.OrphanProvider");
        URLClassLoader loader =
                loader(
                        orphan,
                        plugins.jar(
                                "alpha-orphan.jar", "plugin.alpha", "plugin.alpha.AlphaProvider"));
        var e =
                assertThrows(
                        ProviderConfigurationException.class, () -> ExecutorRegistry.load(loader));
        assertTrue(
                e.getMessage().contains("plugin.orphan.OrphanProvider")
                        || e.getMessage().contains("plugin/orphanbase/Base"),
                e.getMessage());
        assertTrue(
                e.getMessage().contains("plugin/orphanbase/Base")
                        || e.getMessage().contains("plugin.orphanbase.Base"),
                "names the missing class: " + e.getMessage());
        assertCoded(Diagnostic.PROVIDER_NOT_LOADED, e.getMessage());
    }

    @Test
    void findsProvidersInAModuleLayer() throws Exception {
        Path jar =
                plugins.jar(
                        "modular-plugin.jar", "plugin.modular", "plugin.modular.ModularProvider");
        ModuleLayer layer = PluginJars.layer(ExecutorRegistryTest.class.getClassLoader(), jar);
        ExecutorRegistry registry = ExecutorRegistry.load(layer);
        ExecutorRegistry.Entry entry =
                registry.find("modular").orElseThrow(() -> new AssertionError(registry.names()));
        assertEquals("module modular.plugin, " + jar, entry.source());
        assertEquals("modular.plugin", entry.provider().getClass().getModule().getName());
        assertFalse(
                ExecutorRegistry.load(ExecutorRegistryTest.class.getClassLoader())
                        .names()
                        .contains("modular"),
                "the layer's providers are not on the class path");
        try (Executor executor = registry.open("modular", Map.of("host", "m"))) {
            assertEquals("modular-m", executor.describe().getHostname());
        }
    }

    @Test
    void theDefaultLoadSeesWhatTheContextClassLoaderSees() throws IOException {
        Thread thread = Thread.currentThread();
        ClassLoader saved = thread.getContextClassLoader();
        thread.setContextClassLoader(
                loader(
                        plugins.jar(
                                "alpha-context.jar",
                                "plugin.alpha",
                                "plugin.alpha.AlphaProvider")));
        try {
            assertTrue(ExecutorRegistry.load().names().contains("alpha"));
        } finally {
            thread.setContextClassLoader(saved);
        }
        assertFalse(ExecutorRegistry.load().names().contains("alpha"));
    }

    /** A provider written in the test sources, for {@link ExecutorRegistry#of}. */
    record Named(String name, Executor executor) implements ExecutorProvider {
        @Override
        public String description() {
            return "  test provider " + name + "  ";
        }

        @Override
        public Executor create(Map<String, String> options) {
            return executor;
        }
    }

    static final class OtherNamed implements ExecutorProvider {
        @Override
        public String name() {
            return "x";
        }

        @Override
        public String description() {
            return null;
        }

        @Override
        public Executor create(Map<String, String> options) {
            return null;
        }
    }

    @Test
    void ofChecksProvidersAssembledByHand() {
        ExecutorRegistry registry = ExecutorRegistry.of(new Named("b", null), new Named("a", null));
        assertEquals(List.of("a", "b"), registry.names());
        assertEquals(
                "test provider a",
                registry.find("a").orElseThrow().description(),
                "descriptions are stripped");

        var e =
                assertThrows(
                        ProviderConfigurationException.class,
                        () -> ExecutorRegistry.of(new Named("x", null), new OtherNamed()));
        assertTrue(
                e.getMessage().contains(Named.class.getName())
                        && e.getMessage().contains(OtherNamed.class.getName()),
                e.getMessage());
        assertThrows(
                ProviderConfigurationException.class,
                () -> ExecutorRegistry.of(new Named("", null)));
        assertThrows(
                ProviderConfigurationException.class,
                () -> ExecutorRegistry.of(new Named(null, null)));
        assertThrows(
                ProviderConfigurationException.class,
                () -> ExecutorRegistry.of(new Named("a..b", null)));
        assertEquals(
                List.of("my-runtime.v2_x"),
                ExecutorRegistry.of(new Named("my-runtime.v2_x", null)).names());
    }

    @Test
    void theSameProviderInstanceTwiceIsOneProviderButTwoInstancesWithOneNameAreDuplicates() {
        Named a = new Named("a", null);
        assertEquals(List.of("a"), ExecutorRegistry.of(a, a).names());
        var e =
                assertThrows(
                        ProviderConfigurationException.class,
                        () -> ExecutorRegistry.of(a, new Named("a", null)));
        assertTrue(
                e.getMessage().contains("executor name 'a' is provided 2 times"), e.getMessage());
    }

    @Test
    void aProviderReturningNullFromCreateIsAnIllegalState() {
        ExecutorRegistry registry = ExecutorRegistry.of(new OtherNamed());
        assertEquals("", registry.find("x").orElseThrow().description());
        var e = assertThrows(IllegalStateException.class, () -> registry.open("x"));
        assertTrue(e.getMessage().contains(OtherNamed.class.getName() + " (from "), e.getMessage());
        assertCoded(Diagnostic.NULL_EXECUTOR, e.getMessage());
    }

    @Test
    void aProviderThatCannotSayItsNameIsAConfigurationProblem() {
        ExecutorProvider mute =
                new ExecutorProvider() {
                    @Override
                    public String name() {
                        throw new IllegalStateException("no name today");
                    }

                    @Override
                    public String description() {
                        return "";
                    }

                    @Override
                    public Executor create(Map<String, String> options) {
                        return null;
                    }
                };
        var e =
                assertThrows(
                        ProviderConfigurationException.class,
                        () -> ExecutorRegistry.of(mute, new Named("a", null)));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(
                e.getMessage()
                        .contains(
                                "failed to say its name or description: java.lang.IllegalStateException: no name today"),
                e.getMessage());
        assertCoded(Diagnostic.PROVIDER_FAILED, e.getMessage());
        assertTrue(e.getCause() instanceof IllegalStateException);
    }

    /** The message ends with the code and the address of its section in docs/codes.md. */
    private static void assertCoded(Diagnostic diagnostic, String message) {
        assertTrue(
                message.endsWith(" (" + diagnostic.code() + ", see " + diagnostic.address() + ")"),
                "expected " + diagnostic.code() + " at the end of: " + message);
    }
}
