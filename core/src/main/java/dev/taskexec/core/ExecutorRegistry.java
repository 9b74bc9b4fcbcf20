package dev.taskexec.core;

import static org.apiguardian.api.API.Status.STABLE;

import dev.taskexec.api.Executor;
import dev.taskexec.api.ExecutorProvider;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * The executor backends installed here: every {@link ExecutorProvider} found with
 * {@link ServiceLoader}, by name.
 *
 * <p>A registry is an immutable snapshot taken when it is made; make a new one to see jars added
 * later. It is thread-safe. Providers are found
 * <ul>
 *   <li>by {@link #load()} and {@link #load(ClassLoader)}: on the class path (a
 *       {@code META-INF/services/dev.taskexec.api.ExecutorProvider} file in a jar or directory)
 *       and on the module path (a {@code provides} clause in a named module of the class loader's
 *       module layers, the boot layer for the application class loader);</li>
 *   <li>by {@link #load(ModuleLayer)}: in a module layer the application built itself (a plugin
 *       layer) and its parents.</li>
 * </ul>
 *
 * <p>Every provider must have a unique name that follows {@link ExecutorProvider#NAME_SYNTAX} (such
 * as {@code docker}, {@code process}, {@code fake}, {@code my-runtime}). The factories check the whole set at once and throw a
 * {@link ProviderConfigurationException} listing every problem: two providers with one name
 * (naming both classes and the jars they came from), a name that is not lower case or otherwise
 * invalid, or a provider that cannot be loaded or instantiated. The same provider class reached
 * twice by a ServiceLoader (through a layer and its class loader), or the same instance passed
 * twice to {@link #of}, is one provider, not a duplicate.
 *
 * <p>Loading instantiates every provider and calls its {@code name()} and {@code description()},
 * so provider constructors must be cheap and must not touch the runtime they drive; that happens
 * in {@link ExecutorProvider#create}, through {@link #open}.
 *
 * <p>Every failure of finding or opening a provider (each problem of a
 * {@link ProviderConfigurationException}, a name no provider has, a provider that returns no
 * executor) ends its message with a stable code and the address of its explanation, such as
 * {@code (TE-REG-002, see https://github.com/taskexec/taskexec/blob/main/docs/codes.md#te-reg-002)};
 * {@code docs/codes.md} lists every code with its cause and its fix.
 */
@API(status = STABLE, since = "0.1")
public final class ExecutorRegistry {

    /**
     * One installed provider.
     *
     * @param name the provider's name, unique in its registry
     * @param description the provider's one-line description ("" if it gave none)
     * @param providerClass the provider's fully qualified class name
     * @param source where the provider came from: the jar or directory holding its class, prefixed
     *     with its module name when it is in a named module; {@code "unknown location"} when the
     *     JVM does not say
     * @param provider the provider itself
     */
    public record Entry(
            String name,
            String description,
            String providerClass,
            String source,
            ExecutorProvider provider) {

        /** @throws NullPointerException if any component is null */
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(providerClass, "providerClass");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(provider, "provider");
        }
    }

    // A broken services file can make a ServiceLoader iterator fail on every call without
    // advancing; after this many failures in a row the search gives up (and reports them).
    private static final int MAX_CONSECUTIVE_FAILURES = 100;

    private final Map<String, Entry> entries; // sorted by name

    private ExecutorRegistry(Map<String, Entry> entries) {
        this.entries = entries;
    }

    /**
     * The providers visible to the calling thread's context class loader (or, when it has none,
     * the class loader of this class): class path and module path.
     *
     * @return a registry of them
     * @throws ProviderConfigurationException if the providers found cannot be used as they are
     */
    public static ExecutorRegistry load() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return load(loader != null ? loader : ExecutorRegistry.class.getClassLoader());
    }

    /**
     * The providers visible to {@code loader}: in named modules of the module layers of the
     * loader and its ancestors, and in {@code META-INF/services} on its class path.
     *
     * @param loader the class loader to search, for example a {@link java.net.URLClassLoader}
     *     over plugin jars
     * @return a registry of them
     * @throws ProviderConfigurationException if the providers found cannot be used as they are
     * @throws NullPointerException if {@code loader} is null
     */
    public static ExecutorRegistry load(ClassLoader loader) {
        Objects.requireNonNull(loader, "loader");
        return from(ServiceLoader.load(ExecutorProvider.class, loader));
    }

    /**
     * The providers in the named modules of {@code layer} and its parent layers.
     *
     * @param layer a module layer, for example one made for plugins with
     *     {@link ModuleLayer#defineModulesWithOneLoader}
     * @return a registry of them
     * @throws ProviderConfigurationException if the providers found cannot be used as they are
     * @throws NullPointerException if {@code layer} is null
     */
    public static ExecutorRegistry load(ModuleLayer layer) {
        Objects.requireNonNull(layer, "layer");
        return from(ServiceLoader.load(layer, ExecutorProvider.class));
    }

    /**
     * A registry of the given providers, checked as the loaded ones are; for programs and tests
     * that assemble their backends by hand.
     *
     * @param providers the providers; the same instance given twice counts once
     * @return a registry of them
     * @throws ProviderConfigurationException if two share a name or a name is invalid
     * @throws NullPointerException if {@code providers} or one of them is null
     */
    public static ExecutorRegistry of(ExecutorProvider... providers) {
        Objects.requireNonNull(providers, "providers");
        Registration registration = new Registration();
        Set<ExecutorProvider> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ExecutorProvider provider : providers) {
            if (seen.add(Objects.requireNonNull(provider, "provider"))) {
                registration.add(provider);
            }
        }
        return registration.build();
    }

    private static ExecutorRegistry from(ServiceLoader<ExecutorProvider> loader) {
        Registration registration = new Registration();
        // ServiceLoader makes a new instance per provider found; the same class reached twice (in a
        // layer and through its class loader) is the same provider.
        Set<Class<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Iterator<ExecutorProvider> providers = loader.iterator();
        int failuresInARow = 0;
        while (true) {
            ExecutorProvider provider;
            try {
                if (!providers.hasNext()) {
                    break;
                }
                provider = providers.next();
                failuresInARow = 0;
            } catch (ServiceConfigurationError | LinkageError e) {
                // A LinkageError here is a plugin jar missing a class it needs (ServiceLoader
                // wraps only some of them): a deployment problem like the others, not a broken JVM.
                registration.fail(
                        Diagnostic.PROVIDER_NOT_LOADED.tag(
                                "an executor provider could not be loaded: " + e),
                        e);
                if (++failuresInARow >= MAX_CONSECUTIVE_FAILURES) {
                    break;
                }
                continue;
            }
            if (seen.add(provider.getClass())) {
                registration.add(provider);
            }
        }
        return registration.build();
    }

    /** Collects providers and problems, then builds the registry or throws them all. */
    private static final class Registration {
        private final Map<String, List<Entry>> byName = new TreeMap<>();
        private final List<String> problems = new ArrayList<>();
        private final List<Throwable> failures = new ArrayList<>();

        void fail(String problem, Throwable failure) {
            problems.add(problem);
            if (failure != null) {
                failures.add(failure);
            }
        }

        void add(ExecutorProvider provider) {
            Class<?> type = provider.getClass();
            String where = type.getName() + " (from " + source(type) + ")";
            String name;
            String description;
            try {
                name = provider.name();
                description = provider.description();
            } catch (RuntimeException | LinkageError e) {
                fail(
                        Diagnostic.PROVIDER_FAILED.tag(
                                "executor provider "
                                        + where
                                        + " failed to say its name or description: "
                                        + e),
                        e);
                return;
            }
            if (!ExecutorProvider.isValidName(name)) {
                fail(Diagnostic.INVALID_NAME.tag(badName(name, where)), null);
                return;
            }
            Entry entry =
                    new Entry(
                            name,
                            description == null ? "" : description.strip(),
                            type.getName(),
                            source(type),
                            provider);
            byName.computeIfAbsent(name, n -> new ArrayList<>()).add(entry);
        }

        ExecutorRegistry build() {
            for (var named : byName.entrySet()) {
                List<Entry> same = named.getValue();
                if (same.size() > 1) {
                    List<String> who =
                            same.stream()
                                    .map(e -> e.providerClass() + " (from " + e.source() + ")")
                                    .toList();
                    fail(
                            Diagnostic.DUPLICATE_NAME.tag(
                                    "executor name '"
                                            + named.getKey()
                                            + "' is provided "
                                            + same.size()
                                            + " times, by "
                                            + String.join(" and ", who)
                                            + "; remove all but one of these from the class path or module path"),
                            null);
                }
            }
            if (!problems.isEmpty()) {
                throw new ProviderConfigurationException(problems, failures);
            }
            Map<String, Entry> entries = new LinkedHashMap<>();
            byName.forEach((name, list) -> entries.put(name, list.get(0)));
            return new ExecutorRegistry(Collections.unmodifiableMap(entries));
        }

        private static String badName(String name, String where) {
            if (name == null) {
                return "executor provider " + where + " has no name (name() returned null)";
            }
            String lower = name.strip().toLowerCase(Locale.ROOT);
            String hint =
                    !lower.equals(name) && ExecutorProvider.isValidName(lower)
                            ? "; did you mean '" + lower + "'?"
                            : "";
            return "executor provider "
                    + where
                    + " has the invalid name '"
                    + name
                    + "': names are "
                    + ExecutorProvider.NAME_SYNTAX
                    + hint;
        }
    }

    /** Where a class was loaded from, for people reading a listing or an error. */
    static String source(Class<?> type) {
        String location = "unknown location";
        CodeSource code = type.getProtectionDomain().getCodeSource();
        URL url = code == null ? null : code.getLocation();
        if (url != null) {
            location = url.toString();
            if ("file".equals(url.getProtocol())) {
                try {
                    location = Path.of(url.toURI()).toString();
                } catch (URISyntaxException | IllegalArgumentException e) {
                    // keep the URL as it is
                }
            }
        }
        Module module = type.getModule();
        return module.isNamed() ? "module " + module.getName() + ", " + location : location;
    }

    /**
     * Every provider, sorted by name.
     *
     * @return an unmodifiable list
     */
    public List<Entry> providers() {
        return List.copyOf(entries.values());
    }

    /**
     * Every provider's name, sorted.
     *
     * @return an unmodifiable list
     */
    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    /**
     * The provider with this name, if there is one.
     *
     * @param name the provider's name
     * @return its entry, or empty
     * @throws NullPointerException if {@code name} is null
     */
    public Optional<Entry> find(String name) {
        return Optional.ofNullable(entries.get(Objects.requireNonNull(name, "name")));
    }

    /**
     * The provider with this name, or a failure that says which names there are; for callers that
     * need the provider itself (to run the conformance kit on it, say) and report a wrong name as
     * {@link #open(String, Map)} does.
     *
     * @param name the provider's name
     * @return its entry
     * @throws IllegalArgumentException if no provider has this name (the message lists the
     *     available ones)
     * @throws NullPointerException if {@code name} is null
     */
    public Entry require(String name) {
        Entry entry = entries.get(Objects.requireNonNull(name, "name"));
        if (entry == null) {
            throw new IllegalArgumentException(unknown(name));
        }
        return entry;
    }

    /**
     * Opens the named executor with no options; see {@link #open(String, Map)}.
     *
     * @param name the provider's name
     * @return the new executor, owned by the caller
     * @throws IllegalArgumentException if no provider has this name (the message lists the
     *     available ones)
     * @throws Exception whatever the provider's {@code create} throws
     */
    public Executor open(String name) throws Exception {
        return open(name, Map.of());
    }

    /**
     * Makes an executor with the named provider's {@link ExecutorProvider#create create}. The
     * caller owns the executor and must {@link Executor#close() close} it. Blocks as long as the
     * provider does (it may connect to its runtime).
     *
     * @param name the provider's name, exactly as listed (names are lower case)
     * @param options the options for the provider, passed on as an unmodifiable copy
     * @return the new executor
     * @throws IllegalArgumentException if no provider has this name (the message lists the
     *     available ones), if an option has a null key or value, or if the provider rejects an
     *     option (its own message names it)
     * @throws IllegalStateException if the provider returns null
     * @throws Exception whatever else the provider's {@code create} throws, as it threw it
     * @throws NullPointerException if {@code name} or {@code options} is null
     */
    public Executor open(String name, Map<String, String> options) throws Exception {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(options, "options");
        Entry entry = require(name);
        for (var option : options.entrySet()) {
            if (option.getKey() == null || option.getValue() == null) {
                throw new IllegalArgumentException(
                        "executor '"
                                + name
                                + "': option '"
                                + option.getKey()
                                + "' has a null "
                                + (option.getKey() == null ? "name" : "value"));
            }
        }
        Executor executor = entry.provider().create(Map.copyOf(options));
        if (executor == null) {
            throw new IllegalStateException(
                    Diagnostic.NULL_EXECUTOR.tag(
                            "executor provider "
                                    + entry.providerClass()
                                    + " (from "
                                    + entry.source()
                                    + ") returned null from create"));
        }
        return executor;
    }

    private String unknown(String name) {
        if (entries.isEmpty()) {
            return Diagnostic.NO_EXECUTOR_INSTALLED.tag(
                    "no executor named '"
                            + name
                            + "': no executor is installed (no "
                            + ExecutorProvider.class.getName()
                            + " found on the class path or module path)");
        }
        String lower = name.strip().toLowerCase(Locale.ROOT);
        String hint =
                !lower.equals(name) && entries.containsKey(lower)
                        ? " (did you mean '" + lower + "'?)"
                        : "";
        return Diagnostic.UNKNOWN_EXECUTOR.tag(
                "no executor named '"
                        + name
                        + "'"
                        + hint
                        + "; available: "
                        + String.join(", ", entries.keySet()));
    }

    @Override
    public String toString() {
        return "ExecutorRegistry" + entries.keySet();
    }
}
