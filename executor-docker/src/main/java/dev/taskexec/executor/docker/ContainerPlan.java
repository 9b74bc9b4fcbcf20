package dev.taskexec.executor.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.BindOptions;
import com.github.dockerjava.api.model.BindPropagation;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.TmpfsOptions;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.VolumeOptions;
import com.google.protobuf.Duration;
import dev.taskexec.api.RuntimeUnsupportedException;
import dev.taskexec.api.input.Quote;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.Mount;
import dev.taskexec.api.proto.PortConfig;
import dev.taskexec.api.proto.Privileges;
import dev.taskexec.api.proto.ResourceRequirements;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import dev.taskexec.api.support.InvalidTaskException;
import dev.taskexec.api.support.TaskSpecDefaults;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the engine is asked to create for one task: the container's name, labels, configuration and
 * host configuration, derived from the task and validated once, when the controller is made.
 *
 * <p>Everything that can be checked without the engine is checked here (image reference,
 * environment, mounts, stop signal, ports, resources), so a bad task is rejected before any
 * container exists. The mapping follows swarmkit's {@code dockerexec}: a non-empty
 * {@code command} replaces the image's entrypoint and {@code args} become its arguments; without
 * {@code command}, {@code args} are the arguments of the image's entrypoint.
 *
 * <p>Immutable; {@link #applyTo(CreateContainerCmd)} builds fresh docker-java objects each time.
 */
final class ContainerPlan {

    /** Prefix of the labels this executor puts on every container it creates. */
    static final String LABEL_PREFIX = "dev.taskexec.";

    static final String LABEL_TASK_ID = LABEL_PREFIX + "task.id";
    static final String LABEL_TASK_NAME = LABEL_PREFIX + "task.name";
    static final String LABEL_NODE_ID = LABEL_PREFIX + "node.id";
    static final String LABEL_SERVICE_ID = LABEL_PREFIX + "service.id";
    static final String LABEL_SERVICE_NAME = LABEL_PREFIX + "service.name";

    /**
     * Which taskexec agent owns the container: the executor's {@code owner} option. With
     * {@link #LABEL_TASK_ID} it marks a container as taskexec's; the orphan reaper removes only
     * containers carrying its own owner, so agents (or test runs) sharing one engine under
     * different owners never reap each other's.
     */
    static final String LABEL_OWNER = LABEL_PREFIX + "owner";

    private static final Pattern VOLUME_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    private static final Pattern NAME_CHAR_INVALID = Pattern.compile("[^a-zA-Z0-9_.-]");
    private static final int MAX_PORT = 65_535;
    private static final Pattern REGISTRY_AUTH = Pattern.compile("[A-Za-z0-9+/_=-]+");
    private static final Pattern SELINUX_PART = Pattern.compile("[A-Za-z0-9_.:,-]+");

    private final String name;
    private final ImageReference image;
    private final String imageText;
    private final ContainerSpec spec;
    private final Map<String, String> labels;
    private final List<HostPort> hostPorts;
    private final ResourceRequirements resources;
    private final java.time.Duration stopGrace;
    private final List<String> securityOpts;

    /** One port published on the host: {@code publishedPort} 0 lets the engine choose. */
    record HostPort(int targetPort, InternetProtocol protocol, int publishedPort) {}

    private ContainerPlan(
            Task task,
            ContainerSpec spec,
            ImageReference image,
            List<HostPort> hostPorts,
            java.time.Duration stopGrace,
            String owner,
            List<String> securityOpts) {
        this.securityOpts = List.copyOf(securityOpts);
        this.name = containerName(task);
        this.image = image;
        this.imageText = spec.getImage();
        this.spec = spec;
        this.labels = labels(task, spec, name, owner);
        this.hostPorts = List.copyOf(hostPorts);
        this.resources = task.getSpec().getResources();
        this.stopGrace = stopGrace;
    }

    /**
     * Validates the task and plans its container.
     *
     * @throws RuntimeUnsupportedException if the task has a runtime other than a container
     * @throws InvalidTaskException naming the field that cannot be run as written
     */
    static ContainerPlan of(Task task) throws RuntimeUnsupportedException, InvalidTaskException {
        return of(task, DockerOptions.DEFAULT_OWNER);
    }

    /**
     * Validates the task and plans its container, labelled as owned by {@code owner}.
     *
     * @throws RuntimeUnsupportedException if the task has a runtime other than a container
     * @throws InvalidTaskException naming the field that cannot be run as written
     */
    static ContainerPlan of(Task task, String owner)
            throws RuntimeUnsupportedException, InvalidTaskException {
        if (task.getSpec().getRuntimeCase() == TaskSpec.RuntimeCase.RUNTIME_NOT_SET) {
            throw new InvalidTaskException(
                    "container",
                    "task " + task.getId() + " has no runtime: its spec needs a container");
        }
        if (task.getSpec().getRuntimeCase() != TaskSpec.RuntimeCase.CONTAINER) {
            throw new RuntimeUnsupportedException(
                    "the docker executor runs container tasks only; task "
                            + task.getId()
                            + " has runtime "
                            + task.getSpec().getRuntimeCase().name().toLowerCase(Locale.ROOT));
        }
        if (task.getId().isEmpty()) {
            throw new InvalidTaskException(
                    "task.id", "empty: the docker executor names containers after it");
        }
        ContainerSpec spec = task.getSpec().getContainer();
        if (spec.getImage().isEmpty()) {
            throw new InvalidTaskException("container.image", "an image is required");
        }
        ImageReference image;
        try {
            image = ImageReference.parse(spec.getImage());
        } catch (IllegalArgumentException e) {
            throw new InvalidTaskException(
                    "container.image",
                    "malformed image reference "
                            + Quote.of(spec.getImage())
                            + ": "
                            + Quote.clip(e.getMessage(), 160));
        }
        // the engine takes env as written; it is checked as every backend checks it
        TaskSpecDefaults.env(spec);
        TaskSpecDefaults.stopSignal(spec);
        java.time.Duration grace = TaskSpecDefaults.stopGracePeriod(spec);
        checkMounts(spec.getMountsList());
        for (int i = 0; i < spec.getCapabilityAddCount(); i++) {
            capability(spec.getCapabilityAdd(i), "container.capability_add[" + i + "]");
        }
        for (int i = 0; i < spec.getCapabilityDropCount(); i++) {
            capability(spec.getCapabilityDrop(i), "container.capability_drop[" + i + "]");
        }
        checkResources(task.getSpec().getResources());
        for (int i = 0; i < spec.getHostsCount(); i++) {
            String host = spec.getHosts(i);
            if (host.strip().split("\\s+").length < 2) {
                throw new InvalidTaskException(
                        "container.hosts",
                        i,
                        Quote.of(host) + " is not \"IP hostname [alias...]\"");
            }
        }
        refuseUnsupported(task, spec);
        return new ContainerPlan(
                task,
                spec,
                image,
                hostPorts(task),
                grace,
                owner,
                securityOpts(spec.getPrivileges()));
    }

    /** Fields the engine (API 1.41, Linux) cannot honour as swarmkit means them: refused, never dropped. */
    private static void refuseUnsupported(Task task, ContainerSpec spec)
            throws InvalidTaskException {
        if (spec.getIsolation() != ContainerSpec.Isolation.ISOLATION_DEFAULT) {
            throw new InvalidTaskException(
                    "container.isolation",
                    spec.getIsolation()
                            + " is not available: a Linux engine has only the default isolation");
        }
        if (spec.getSecretsCount() > 0) {
            throw new InvalidTaskException(
                    "container.secrets",
                    "the docker executor has no secret store to"
                            + " supply them from (swarm secrets come from a manager)");
        }
        if (spec.getConfigsCount() > 0) {
            throw new InvalidTaskException(
                    "container.configs",
                    "the docker executor has no config store to"
                            + " supply them from (swarm configs come from a manager)");
        }
        String auth = spec.getPullOptions().getRegistryAuth();
        if (!auth.isEmpty() && !REGISTRY_AUTH.matcher(auth).matches()) {
            throw new InvalidTaskException(
                    "container.pull_options.registry_auth",
                    "not base64url text as" + " Docker's X-Registry-Auth header takes it");
        }
        if (task.getSpec().hasLogDriver() && !task.getSpec().getLogDriver().getName().isEmpty()) {
            throw new InvalidTaskException(
                    "log_driver.name",
                    Quote.of(task.getSpec().getLogDriver().getName())
                            + ": the docker executor reads logs through the engine's default log driver and cannot choose another");
        }
        if (task.getSpec().getResources().hasLimits()
                && task.getSpec().getResources().getLimits().getGenericCount() > 0) {
            throw new InvalidTaskException(
                    "resources.limits.generic", "the engine cannot limit generic resources");
        }
    }

    /**
     * The engine's {@code SecurityOpt} entries for {@code privileges}, as moby's swarm executor
     * writes them.
     */
    private static List<String> securityOpts(Privileges p) throws InvalidTaskException {
        List<String> opts = new ArrayList<>();
        if (p.hasCredentialSpec()) {
            throw new InvalidTaskException(
                    "container.privileges.credential_spec",
                    "credential specs are for" + " Windows containers; a Linux engine has none");
        }
        if (p.hasSelinuxContext()) {
            Privileges.SELinuxContext l = p.getSelinuxContext();
            if (l.getDisable()) {
                opts.add("label=disable");
            }
            label(opts, "user", l.getUser());
            label(opts, "role", l.getRole());
            label(opts, "type", l.getType());
            label(opts, "level", l.getLevel());
        }
        if (p.hasSeccomp()) {
            switch (p.getSeccomp().getMode()) {
                case DEFAULT -> {}
                case UNCONFINED -> opts.add("seccomp=unconfined");
                case CUSTOM -> {
                    String profile = p.getSeccomp().getProfile().toStringUtf8().strip();
                    if (!profile.startsWith("{")) {
                        throw new InvalidTaskException(
                                "container.privileges.seccomp.profile",
                                "mode CUSTOM needs"
                                        + " a JSON seccomp profile, got "
                                        + Quote.of(profile));
                    }
                    opts.add("seccomp=" + profile);
                }
                default ->
                        throw new InvalidTaskException(
                                "container.privileges.seccomp.mode",
                                "unknown mode " + p.getSeccomp().getModeValue());
            }
        }
        if (p.hasApparmor()) {
            switch (p.getApparmor().getMode()) {
                case DEFAULT -> {}
                case DISABLED -> opts.add("apparmor=unconfined");
                default ->
                        throw new InvalidTaskException(
                                "container.privileges.apparmor.mode",
                                "unknown mode " + p.getApparmor().getModeValue());
            }
        }
        if (p.getNoNewPrivileges()) {
            opts.add("no-new-privileges=true");
        }
        return opts;
    }

    private static void label(List<String> opts, String part, String value)
            throws InvalidTaskException {
        if (value.isEmpty()) {
            return;
        }
        if (!SELINUX_PART.matcher(value).matches()) {
            throw new InvalidTaskException(
                    "container.privileges.selinux_context." + part,
                    Quote.of(value) + " is not an SELinux " + part);
        }
        opts.add("label=" + part + ":" + value);
    }

    /** Whether the task asks for SELinux labels, which an engine without SELinux would ignore silently. */
    boolean needsSelinux() {
        return securityOpts.stream()
                .anyMatch(o -> o.startsWith("label=") && !o.equals("label=disable"));
    }

    /** The engine's {@code SecurityOpt} entries for the task's privileges. */
    List<String> securityOpts() {
        return securityOpts;
    }

    /** The task's {@code pull_options.registry_auth}, or empty for an anonymous pull. */
    String registryAuth() {
        return spec.getPullOptions().getRegistryAuth();
    }

    /** The container's name: unique to the task, and valid as a Docker container name. */
    String name() {
        return name;
    }

    /** The image as the task wrote it. */
    String image() {
        return imageText;
    }

    /** The image parsed. */
    ImageReference imageReference() {
        return image;
    }

    /** The labels put on the container. */
    Map<String, String> labels() {
        return labels;
    }

    /** Ports to publish on the host, with their requested host port (0: any). */
    List<HostPort> hostPorts() {
        return hostPorts;
    }

    /** Whether the task's standard input can be written ({@code open_stdin}). */
    boolean openStdin() {
        return spec.getOpenStdin();
    }

    /** Whether the container has a terminal: its logs are then one raw stream. */
    boolean tty() {
        return spec.getTty();
    }

    /** The task's stop grace period, or swarmkit's default of 10 s. */
    java.time.Duration stopGrace() {
        return stopGrace;
    }

    /**
     * The stop grace period in whole seconds, as the Engine API takes it, rounded up so the
     * workload gets at least the time the task allows.
     */
    int stopGraceSeconds() {
        long nanos = stopGrace.toNanos();
        long seconds = Math.ceilDiv(nanos, 1_000_000_000L);
        return (int) Math.min(seconds, Integer.MAX_VALUE);
    }

    /** Fills a create command with everything but the name. */
    CreateContainerCmd applyTo(CreateContainerCmd cmd) {
        cmd.withImage(imageText)
                .withLabels(labels)
                .withEnv(spec.getEnvList())
                .withTty(spec.getTty())
                .withStdinOpen(spec.getOpenStdin())
                // as docker run -i: StdinOnce makes the engine close the container's input when the
                // attached writer ends it, which is how end-of-file reaches the task
                .withStdInOnce(spec.getOpenStdin())
                .withAttachStdin(spec.getOpenStdin())
                .withStopTimeout(stopGraceSeconds());
        if (spec.getCommandCount() > 0) {
            cmd.withEntrypoint(spec.getCommandList());
            cmd.withCmd(spec.getArgsList());
        } else if (spec.getArgsCount() > 0) {
            cmd.withCmd(spec.getArgsList());
        }
        if (!spec.getDir().isEmpty()) {
            cmd.withWorkingDir(spec.getDir());
        }
        if (!spec.getUser().isEmpty()) {
            cmd.withUser(spec.getUser());
        }
        if (!spec.getHostname().isEmpty()) {
            cmd.withHostName(spec.getHostname());
        }
        if (!spec.getStopSignal().isBlank()) {
            // the canonical name: one the engine knows, whichever way the task wrote the signal;
            // unset, the image's STOPSIGNAL applies, as with swarmkit
            cmd.withStopSignal(TaskSpecDefaults.stopSignal(spec).name());
        }
        if (spec.hasHealthcheck()) {
            cmd.withHealthcheck(healthCheck(spec.getHealthcheck()));
        }
        if (!hostPorts.isEmpty()) {
            cmd.withExposedPorts(
                    hostPorts.stream()
                            .map(p -> new ExposedPort(p.targetPort(), p.protocol()))
                            .toList());
        }
        return cmd.withHostConfig(hostConfig());
    }

    private HostConfig hostConfig() {
        HostConfig hc = HostConfig.newHostConfig().withReadonlyRootfs(spec.getReadOnly());
        if (!securityOpts.isEmpty()) {
            hc.withSecurityOpts(securityOpts);
        }
        if (spec.hasInit()) {
            hc.withInit(spec.getInit().getValue());
        }
        if (spec.getMountsCount() > 0) {
            hc.withMounts(spec.getMountsList().stream().map(ContainerPlan::mount).toList());
        }
        if (!hostPorts.isEmpty()) {
            Ports ports = new Ports();
            for (HostPort p : hostPorts) {
                ports.bind(
                        new ExposedPort(p.targetPort(), p.protocol()),
                        p.publishedPort() == 0
                                ? Ports.Binding.empty()
                                : Ports.Binding.bindPort(p.publishedPort()));
            }
            hc.withPortBindings(ports);
        }
        if (spec.getGroupsCount() > 0) {
            hc.withGroupAdd(spec.getGroupsList());
        }
        if (spec.getHostsCount() > 0) {
            // swarmkit writes hosts lines as "IP name [alias...]"; the engine wants "name:IP".
            hc.withExtraHosts(
                    spec.getHostsList().stream()
                            .map(
                                    line -> {
                                        String[] f = line.strip().split("\\s+");
                                        return f[1] + ":" + f[0];
                                    })
                            .toArray(String[]::new));
        }
        if (spec.hasDnsConfig()) {
            hc.withDns(spec.getDnsConfig().getNameserversList())
                    .withDnsSearch(spec.getDnsConfig().getSearchList())
                    .withDnsOptions(spec.getDnsConfig().getOptionsList());
        }
        if (spec.getCapabilityAddCount() > 0) {
            hc.withCapAdd(capabilities(spec.getCapabilityAddList()));
        }
        if (spec.getCapabilityDropCount() > 0) {
            hc.withCapDrop(capabilities(spec.getCapabilityDropList()));
        }
        if (spec.getSysctlsCount() > 0) {
            hc.withSysctls(spec.getSysctlsMap());
        }
        if (spec.getOomScoreAdj() != 0) {
            hc.withOomScoreAdj((int) spec.getOomScoreAdj());
        }
        if (spec.getPidsLimit() > 0) {
            hc.withPidsLimit(spec.getPidsLimit());
        }
        if (spec.getUlimitsCount() > 0) {
            hc.withUlimits(
                    spec.getUlimitsList().stream()
                            .map(u -> new Ulimit(u.getName(), u.getSoft(), u.getHard()))
                            .toList());
        }
        if (resources.hasLimits()) {
            if (resources.getLimits().getMemoryBytes() > 0) {
                hc.withMemory(resources.getLimits().getMemoryBytes());
            }
            if (resources.getLimits().getNanoCpus() > 0) {
                hc.withNanoCPUs(resources.getLimits().getNanoCpus());
            }
        }
        if (resources.hasSwapBytes()) {
            hc.withMemorySwap(resources.getSwapBytes().getValue());
        }
        if (resources.hasMemorySwappiness()) {
            hc.withMemorySwappiness(resources.getMemorySwappiness().getValue());
        }
        return hc;
    }

    private static Capability[] capabilities(List<String> names) {
        return names.stream()
                .map(
                        n -> {
                            try {
                                return capability(n, "capabilities");
                            } catch (InvalidTaskException e) {
                                throw new IllegalStateException("unchecked capability " + n, e);
                            }
                        })
                .toArray(Capability[]::new);
    }

    /** Reads {@code CAP_NET_ADMIN} or {@code NET_ADMIN}, in any case. */
    private static Capability capability(String name, String field) throws InvalidTaskException {
        String c = name.toUpperCase(Locale.ROOT);
        try {
            return Capability.valueOf(c.startsWith("CAP_") ? c.substring(4) : c);
        } catch (IllegalArgumentException e) {
            throw new InvalidTaskException(field, "unknown capability " + Quote.of(name));
        }
    }

    private static HealthCheck healthCheck(dev.taskexec.api.proto.HealthConfig h) {
        HealthCheck hc = new HealthCheck().withTest(h.getTestList());
        if (h.hasInterval()) {
            hc.withInterval(toJava(h.getInterval()).toNanos());
        }
        if (h.hasTimeout()) {
            hc.withTimeout(toJava(h.getTimeout()).toNanos());
        }
        if (h.getRetries() > 0) {
            hc.withRetries(h.getRetries());
        }
        if (h.hasStartPeriod()) {
            hc.withStartPeriod(toJava(h.getStartPeriod()).toNanos());
        }
        if (h.hasStartInterval()) {
            hc.withStartInterval(toJava(h.getStartInterval()).toNanos());
        }
        return hc;
    }

    private static com.github.dockerjava.api.model.Mount mount(Mount m) {
        var out =
                new com.github.dockerjava.api.model.Mount()
                        .withTarget(m.getTarget())
                        .withReadOnly(m.getReadonly());
        switch (m.getType()) {
            case BIND -> {
                out.withType(MountType.BIND).withSource(m.getSource());
                if (m.hasBindOptions()) {
                    out.withBindOptions(
                            new BindOptions()
                                    .withPropagation(
                                            propagation(m.getBindOptions().getPropagation())));
                }
            }
            case VOLUME -> {
                out.withType(MountType.VOLUME);
                if (!m.getSource().isEmpty()) {
                    out.withSource(m.getSource());
                }
                if (m.hasVolumeOptions()) {
                    var vo = new VolumeOptions().withNoCopy(m.getVolumeOptions().getNocopy());
                    if (m.getVolumeOptions().getLabelsCount() > 0) {
                        vo.withLabels(m.getVolumeOptions().getLabelsMap());
                    }
                    if (m.getVolumeOptions().hasDriverConfig()) {
                        vo.withDriverConfig(
                                new com.github.dockerjava.api.model.Driver()
                                        .withName(m.getVolumeOptions().getDriverConfig().getName())
                                        .withOptions(
                                                m.getVolumeOptions()
                                                        .getDriverConfig()
                                                        .getOptionsMap()));
                    }
                    out.withVolumeOptions(vo);
                }
            }
            case TMPFS -> {
                out.withType(MountType.TMPFS);
                if (m.hasTmpfsOptions()) {
                    var to = new TmpfsOptions();
                    if (m.getTmpfsOptions().getSizeBytes() > 0) {
                        to.withSizeBytes(m.getTmpfsOptions().getSizeBytes());
                    }
                    if (m.getTmpfsOptions().getMode() != 0) {
                        to.withMode(m.getTmpfsOptions().getMode());
                    }
                    out.withTmpfsOptions(to);
                }
            }
            default -> throw new IllegalStateException("unchecked mount type " + m.getType());
        }
        return out;
    }

    private static BindPropagation propagation(Mount.BindOptions.Propagation p) {
        return switch (p) {
            case PRIVATE -> BindPropagation.PRIVATE;
            case RSHARED -> BindPropagation.R_SHARED;
            case SHARED -> BindPropagation.SHARED;
            case RSLAVE -> BindPropagation.R_SLAVE;
            case SLAVE -> BindPropagation.SLAVE;
            default -> BindPropagation.R_PRIVATE;
        };
    }

    private static void checkMounts(List<Mount> mounts) throws InvalidTaskException {
        Set<String> targets = new HashSet<>();
        for (int i = 0; i < mounts.size(); i++) {
            Mount m = mounts.get(i);
            String where = "container.mounts[" + i + "]";
            if (!m.getTarget().startsWith("/")) {
                throw new InvalidTaskException(
                        where + ".target", Quote.of(m.getTarget()) + " is not an absolute path");
            }
            if (!targets.add(m.getTarget())) {
                throw new InvalidTaskException(
                        where + ".target", Quote.of(m.getTarget()) + " is mounted twice");
            }
            if (m.getConsistency() != Mount.Consistency.DEFAULT) {
                throw new InvalidTaskException(
                        where + ".consistency",
                        m.getConsistency() + " is not supported by the docker executor");
            }
            switch (m.getType()) {
                case BIND -> {
                    if (!m.getSource().startsWith("/")) {
                        throw new InvalidTaskException(
                                where + ".source",
                                "bind source "
                                        + Quote.of(m.getSource())
                                        + " is not an absolute host path");
                    }
                    Mount.BindOptions b = m.getBindOptions();
                    if (b.getNonrecursive()
                            || b.getCreatemountpoint()
                            || b.getReadonlynonrecursive()
                            || b.getReadonlyforcerecursive()) {
                        throw new InvalidTaskException(
                                where + ".bind_options",
                                (b.getNonrecursive()
                                                ? "nonrecursive"
                                                : b.getCreatemountpoint()
                                                        ? "createmountpoint"
                                                        : b.getReadonlynonrecursive()
                                                                ? "readonlynonrecursive"
                                                                : "readonlyforcerecursive")
                                        + " is not supported by the docker executor");
                    }
                }
                case VOLUME -> {
                    if (!m.getSource().isEmpty() && !VOLUME_NAME.matcher(m.getSource()).matches()) {
                        throw new InvalidTaskException(
                                where + ".source",
                                "volume name " + Quote.of(m.getSource()) + " is invalid");
                    }
                    if (!m.getVolumeOptions().getSubpath().isEmpty()) {
                        throw new InvalidTaskException(
                                where + ".volume_options.subpath",
                                "not supported by the docker executor");
                    }
                }
                case TMPFS -> {
                    if (!m.getSource().isEmpty()) {
                        throw new InvalidTaskException(
                                where + ".source",
                                "a tmpfs mount takes no source, got " + Quote.of(m.getSource()));
                    }
                    if (!m.getTmpfsOptions().getOptions().isEmpty()) {
                        throw new InvalidTaskException(
                                where + ".tmpfs_options.options",
                                "not supported by the docker executor");
                    }
                    if (m.hasTmpfsOptions() && m.getTmpfsOptions().getSizeBytes() < 0) {
                        throw new InvalidTaskException(
                                where + ".tmpfs_options.size_bytes", "tmpfs size is negative");
                    }
                }
                default ->
                        throw new InvalidTaskException(
                                where + ".type",
                                "mount type "
                                        + m.getType()
                                        + " is not supported by the docker executor");
            }
        }
    }

    private static void checkResources(ResourceRequirements r) throws InvalidTaskException {
        if (r.hasLimits()) {
            if (r.getLimits().getMemoryBytes() < 0) {
                throw new InvalidTaskException("resources.limits.memory_bytes", "negative");
            }
            if (r.getLimits().getNanoCpus() < 0) {
                throw new InvalidTaskException("resources.limits.nano_cpus", "negative");
            }
        }
        if (r.hasMemorySwappiness()) {
            long s = r.getMemorySwappiness().getValue();
            if (s < -1 || s > 100) {
                throw new InvalidTaskException(
                        "resources.memory_swappiness", s + " is outside -1..100");
            }
        }
    }

    private static List<HostPort> hostPorts(Task task) throws InvalidTaskException {
        if (!task.hasEndpoint()) {
            return List.of();
        }
        // The allocated ports win; a task made by hand may only carry the endpoint's spec.
        boolean allocated = task.getEndpoint().getPortsCount() > 0;
        List<PortConfig> configs =
                allocated
                        ? task.getEndpoint().getPortsList()
                        : task.getEndpoint().getSpec().getPortsList();
        String field = allocated ? "task.endpoint.ports" : "task.endpoint.spec.ports";
        List<HostPort> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < configs.size(); i++) {
            PortConfig p = configs.get(i);
            if (p.getPublishMode() != PortConfig.PublishMode.HOST) {
                continue; // ingress publishing needs swarm's routing mesh; swarmkit skips these too
            }
            String where = field + "[" + i + "]";
            String what =
                    "port "
                            + p.getTargetPort()
                            + "/"
                            + p.getProtocol().name().toLowerCase(Locale.ROOT);
            if (p.getTargetPort() < 1 || p.getTargetPort() > MAX_PORT) {
                throw new InvalidTaskException(where, what + ": target port must be 1-" + MAX_PORT);
            }
            if (p.getPublishedPort() > MAX_PORT) {
                throw new InvalidTaskException(
                        where,
                        what
                                + ": published port "
                                + p.getPublishedPort()
                                + " is above "
                                + MAX_PORT);
            }
            InternetProtocol protocol =
                    switch (p.getProtocol()) {
                        case UDP -> InternetProtocol.UDP;
                        case SCTP -> InternetProtocol.SCTP;
                        default -> InternetProtocol.TCP;
                    };
            if (!seen.add(p.getTargetPort() + "/" + protocol)) {
                throw new InvalidTaskException(where, what + " is published twice");
            }
            if (p.getPublishedPort() != 0
                    && !seen.add("host:" + p.getPublishedPort() + "/" + protocol)) {
                throw new InvalidTaskException(
                        where,
                        what
                                + ": host port "
                                + p.getPublishedPort()
                                + " is already used by another port of this task");
            }
            out.add(new HostPort(p.getTargetPort(), protocol, p.getPublishedPort()));
        }
        return out;
    }

    /**
     * swarmkit's task name ({@code annotations.name}, else {@code service.slot.id}, with the node id
     * for slot-less tasks), made unique by carrying the task id and valid by replacing what Docker
     * does not allow in names.
     */
    static String containerName(Task task) {
        String base = task.getAnnotations().getName();
        if (base.isEmpty()) {
            String service =
                    task.getServiceAnnotations().getName().isEmpty()
                            ? "task"
                            : task.getServiceAnnotations().getName();
            String slot =
                    task.getSlot() != 0 ? Long.toUnsignedString(task.getSlot()) : task.getNodeId();
            base =
                    slot.isEmpty()
                            ? service + "." + task.getId()
                            : service + "." + slot + "." + task.getId();
        } else if (!base.contains(task.getId())) {
            base = base + "." + task.getId();
        }
        String cleaned = NAME_CHAR_INVALID.matcher(base).replaceAll("_");
        int start = 0;
        while (start < cleaned.length() && !Character.isLetterOrDigit(cleaned.charAt(start))) {
            start++;
        }
        cleaned = cleaned.substring(start);
        return cleaned.isEmpty() ? "task" : cleaned;
    }

    private static Map<String, String> labels(
            Task task, ContainerSpec spec, String name, String owner) {
        // Spec labels, then the orchestrator's task labels, then ours, each overriding the
        // previous.
        Map<String, String> labels = new LinkedHashMap<>(spec.getLabelsMap());
        labels.putAll(task.getAnnotations().getLabelsMap());
        labels.put(LABEL_TASK_ID, task.getId());
        labels.put(LABEL_TASK_NAME, name);
        labels.put(LABEL_NODE_ID, task.getNodeId());
        labels.put(LABEL_SERVICE_ID, task.getServiceId());
        labels.put(LABEL_SERVICE_NAME, task.getServiceAnnotations().getName());
        labels.put(LABEL_OWNER, owner);
        return Map.copyOf(labels);
    }

    private static java.time.Duration toJava(Duration d) {
        return java.time.Duration.ofSeconds(d.getSeconds(), d.getNanos());
    }
}
