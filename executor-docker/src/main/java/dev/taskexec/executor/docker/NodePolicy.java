package dev.taskexec.executor.docker;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.taskexec.api.input.Quote;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.Mount;
import dev.taskexec.api.proto.Privileges;
import dev.taskexec.api.support.InvalidTaskException;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * What this node lets a task reach of its host: the operator's rules, applied to every task before
 * any container exists. A task outside them is rejected with the rule named, so the operator knows
 * which option would allow it.
 *
 * <p>The default ({@code policy=restricted}) is meant for third-party workloads: no bind mounts of
 * host paths, never the Docker socket (nor a directory holding it), no capability that amounts to
 * root on the host, no turning off of seccomp, AppArmor or SELinux confinement, any image. Each rule
 * is loosened by its own option; {@code -o policy=unrestricted} turns every rule off (a node that
 * runs only its operator's own tasks).
 *
 * <p>Host namespaces: no field of the task model asks for the host's PID, IPC or UTS namespace,
 * and this backend attaches no networks, so the host network is out of reach too; there is nothing
 * for a rule to refuse. Tasks run with the engine's default namespaces.
 *
 * @param enforced false for {@code policy=unrestricted}: every task passes
 * @param bindSources host path prefixes bind mounts may use; empty allows none
 * @param dockerSocket whether a bind mount may expose the engine's socket
 * @param privilegedCapabilities whether {@code capability_add} may name {@link #PRIVILEGED_CAPABILITIES}
 * @param unconfined whether a task may turn off seccomp, AppArmor or SELinux confinement
 * @param images patterns ({@code *} matches any characters) one of which the image must match,
 *     as written or as pulled ({@code busybox} is pulled as {@code busybox:latest})
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record NodePolicy(
        boolean enforced,
        List<String> bindSources,
        boolean dockerSocket,
        boolean privilegedCapabilities,
        boolean unconfined,
        List<String> images) {

    /** Option key: {@code restricted} (the default) or {@code unrestricted}. */
    public static final String POLICY = "policy";

    /** Option key: comma-separated host path prefixes bind mounts may use. */
    public static final String ALLOW_BIND = "allow-bind";

    /** Option key: {@code true} lets a bind mount expose the Docker socket. */
    public static final String ALLOW_DOCKER_SOCKET = "allow-docker-socket";

    /** Option key: {@code true} lets tasks add privileged-equivalent capabilities. */
    public static final String ALLOW_PRIVILEGED_CAPABILITIES = "allow-privileged-capabilities";

    /** Option key: {@code true} lets tasks turn off seccomp, AppArmor or SELinux confinement. */
    public static final String ALLOW_UNCONFINED = "allow-unconfined";

    /** Option key: comma-separated image patterns. */
    public static final String ALLOWED_IMAGES = "allowed-images";

    /** Capabilities that give a container the host, or most of it (escape, module loading, raw devices, tracing). */
    public static final Set<String> PRIVILEGED_CAPABILITIES =
            Set.of(
                    "ALL",
                    "SYS_ADMIN",
                    "SYS_MODULE",
                    "SYS_RAWIO",
                    "SYS_PTRACE",
                    "SYS_BOOT",
                    "SYS_TIME",
                    "DAC_READ_SEARCH",
                    "NET_ADMIN",
                    "MAC_ADMIN",
                    "MAC_OVERRIDE",
                    "BPF",
                    "PERFMON",
                    "SYSLOG",
                    "LINUX_IMMUTABLE");

    /** Where the engine's socket usually is, besides the one this executor talks to. */
    private static final List<Path> SOCKETS =
            List.of(Path.of("/var/run/docker.sock"), Path.of("/run/docker.sock"));

    /** @throws IllegalArgumentException naming the option, for a relative bind prefix */
    public NodePolicy {
        bindSources = List.copyOf(bindSources);
        images = List.copyOf(images);
        for (String prefix : bindSources) {
            if (!prefix.startsWith("/")) {
                throw new IllegalArgumentException(
                        "option "
                                + ALLOW_BIND
                                + ": "
                                + Quote.of(prefix)
                                + " is not an absolute host path");
            }
        }
    }

    /** The default: restricted, as described on the class. */
    public static NodePolicy restricted() {
        return new NodePolicy(true, List.of(), false, false, false, List.of("*"));
    }

    /** Every rule off. */
    public static NodePolicy unrestricted() {
        return new NodePolicy(false, List.of("/"), true, true, true, List.of("*"));
    }

    /** The options this class reads, with one-line descriptions. */
    static void describe(Map<String, String> into) {
        into.put(
                POLICY,
                "restricted (default: what a task may reach of the host is limited by the allow- options)"
                        + " or unrestricted (no limits; for a node running only its operator's tasks)");
        into.put(
                ALLOW_BIND,
                "host path prefixes bind mounts may use, comma-separated (default: none)");
        into.put(
                ALLOW_DOCKER_SOCKET,
                "true lets a bind mount expose the Docker socket, root on the host (default false)");
        into.put(
                ALLOW_PRIVILEGED_CAPABILITIES,
                "true lets tasks add capabilities such as SYS_ADMIN (default false)");
        into.put(
                ALLOW_UNCONFINED,
                "true lets tasks turn off seccomp, AppArmor or SELinux confinement (default false)");
        into.put(
                ALLOWED_IMAGES,
                "image patterns tasks may use, comma-separated, * matching anything (default *)");
    }

    /**
     * Reads the policy options.
     *
     * @throws IllegalArgumentException naming the option, for a bad value
     */
    static NodePolicy parse(Map<String, String> options) {
        String mode = options.getOrDefault(POLICY, "restricted").strip().toLowerCase(Locale.ROOT);
        NodePolicy base =
                switch (mode) {
                    case "restricted" -> restricted();
                    case "unrestricted" -> unrestricted();
                    default ->
                            throw new IllegalArgumentException(
                                    "option "
                                            + POLICY
                                            + ": "
                                            + Quote.of(mode)
                                            + " is neither restricted nor unrestricted");
                };
        return new NodePolicy(
                base.enforced(),
                list(options, ALLOW_BIND, base.bindSources()),
                bool(options, ALLOW_DOCKER_SOCKET, base.dockerSocket()),
                bool(options, ALLOW_PRIVILEGED_CAPABILITIES, base.privilegedCapabilities()),
                bool(options, ALLOW_UNCONFINED, base.unconfined()),
                list(options, ALLOWED_IMAGES, base.images()));
    }

    private static List<String> list(
            Map<String, String> options, String key, List<String> fallback) {
        String value = options.get(key);
        if (value == null) {
            return fallback;
        }
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }

    private static boolean bool(Map<String, String> options, String key, boolean fallback) {
        String value = options.get(key);
        if (value == null) {
            return fallback;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default ->
                    throw new IllegalArgumentException(
                            "option " + key + ": " + Quote.of(value) + " is not true or false");
        };
    }

    /**
     * Checks a task's container against the rules.
     *
     * @param spec the task's container spec
     * @param image the parsed image
     * @param engineSocket the socket this executor talks to, if a local one
     * @throws InvalidTaskException naming the rule (its option) and the field, for the first breach
     */
    void check(ContainerSpec spec, ImageReference image, Path engineSocket)
            throws InvalidTaskException {
        if (!enforced) {
            return;
        }
        if (images.stream()
                .noneMatch(p -> matches(p, spec.getImage()) || matches(p, image.pullReference()))) {
            throw refused(
                    ALLOWED_IMAGES,
                    "container.image",
                    Quote.of(spec.getImage()) + " matches none of " + images);
        }
        for (int i = 0; i < spec.getMountsCount(); i++) {
            Mount m = spec.getMounts(i);
            if (m.getType() != Mount.Type.BIND) {
                continue;
            }
            String field = "container.mounts[" + i + "].source";
            String where = "bind source " + Quote.of(m.getSource());
            Path source = hostPath(m.getSource());
            if (!dockerSocket && exposesSocket(source, engineSocket)) {
                throw refused(
                        ALLOW_DOCKER_SOCKET,
                        field,
                        where + " exposes the Docker socket, which is root on this host");
            }
            if (bindSources.stream().noneMatch(prefix -> source.startsWith(hostPath(prefix)))) {
                throw refused(
                        ALLOW_BIND,
                        field,
                        where
                                + " is not under an allowed prefix "
                                + (bindSources.isEmpty() ? "(none are)" : bindSources.toString()));
            }
        }
        if (!privilegedCapabilities) {
            for (int i = 0; i < spec.getCapabilityAddCount(); i++) {
                String cap = spec.getCapabilityAdd(i);
                String name = cap.toUpperCase(Locale.ROOT).replaceFirst("^CAP_", "");
                if (PRIVILEGED_CAPABILITIES.contains(name)) {
                    throw refused(
                            ALLOW_PRIVILEGED_CAPABILITIES,
                            "container.capability_add[" + i + "]",
                            Quote.of(cap) + " amounts to root on this host");
                }
            }
        }
        if (!unconfined && spec.hasPrivileges()) {
            Privileges p = spec.getPrivileges();
            if (p.getSeccomp().getMode() == Privileges.SeccompOpts.SeccompMode.UNCONFINED) {
                throw refused(
                        ALLOW_UNCONFINED,
                        "container.privileges.seccomp.mode",
                        "UNCONFINED turns off system-call filtering");
            }
            if (p.getApparmor().getMode() == Privileges.AppArmorOpts.AppArmorMode.DISABLED) {
                throw refused(
                        ALLOW_UNCONFINED,
                        "container.privileges.apparmor.mode",
                        "DISABLED turns off AppArmor");
            }
            if (p.getSelinuxContext().getDisable()) {
                throw refused(
                        ALLOW_UNCONFINED,
                        "container.privileges.selinux_context.disable",
                        "turns off SELinux labelling");
            }
        }
    }

    private static InvalidTaskException refused(String rule, String field, String what) {
        return new InvalidTaskException(
                field,
                what
                        + ", which node policy rule "
                        + rule
                        + " refuses (allow with -o "
                        + rule
                        + "=... or -o "
                        + POLICY
                        + "=unrestricted)");
    }

    /** The path as the host resolves it: symbolic links followed as far as the path exists. */
    private static Path hostPath(String text) {
        Path path;
        try {
            path = Path.of(text).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            return Path.of("/");
        }
        // follow links in the longest existing ancestor, so /var/run and /run are one place
        Path existing = path;
        while (existing != null) {
            try {
                return existing.toRealPath().resolve(existing.relativize(path));
            } catch (IOException | SecurityException e) {
                existing = existing.getParent();
            }
        }
        return path;
    }

    private static boolean exposesSocket(Path source, Path engineSocket) {
        List<Path> sockets = new ArrayList<>(SOCKETS);
        if (engineSocket != null) {
            sockets.add(engineSocket);
        }
        for (Path socket : sockets) {
            if (hostPath(socket.toString()).startsWith(source)
                    || socket.normalize().startsWith(source)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String pattern, String image) {
        String regex =
                java.util.Arrays.stream(pattern.split("\\*", -1))
                        .map(Pattern::quote)
                        .collect(java.util.stream.Collectors.joining(".*"));
        return Pattern.matches(regex, image);
    }
}
