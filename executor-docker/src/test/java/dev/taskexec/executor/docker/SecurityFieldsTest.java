package dev.taskexec.executor.docker;

import static dev.taskexec.executor.docker.DockerTestEnvironment.shell;
import static dev.taskexec.executor.docker.DockerTestEnvironment.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.BoolValue;
import com.google.protobuf.ByteString;
import dev.taskexec.api.Controller;
import dev.taskexec.api.ControllerLogs;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.Driver;
import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.api.proto.Mount;
import dev.taskexec.api.proto.Privileges;
import dev.taskexec.api.proto.SecretReference;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.support.InvalidTaskException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each security-related {@code ContainerSpec} field on the real engine: honoured (seen from inside
 * the container) or refused naming the field, never dropped; and each node-policy rule.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecurityFieldsTest {

    private static DockerExecutor restricted;
    private static DockerExecutor unrestricted;

    @BeforeAll
    static void engine() {
        DockerTestEnvironment.require();
        restricted = DockerTestEnvironment.executor(Map.of());
        unrestricted = DockerTestEnvironment.executor(Map.of(NodePolicy.POLICY, "unrestricted"));
    }

    @AfterAll
    static void nothingLeft() {
        if (restricted != null) {
            restricted.close();
            unrestricted.close();
            DockerTestEnvironment.assertNoContainersLeft();
        }
    }

    /** Runs {@code script} with the spec edited, to its end, and returns its output. */
    private static String output(
            DockerExecutor executor, UnaryOperator<ContainerSpec.Builder> edit, String script)
            throws Exception {
        Task task = task(edit.apply(shell(script)));
        Controller c = executor.controller(task);
        try {
            c.prepare();
            c.start();
            try {
                c.await();
            } catch (Exception exit) {
                // the output tells what happened
            }
            List<LogMessage> logs = new ArrayList<>();
            ((ControllerLogs) c).logs(logs::add, LogSubscriptionOptions.getDefaultInstance());
            StringBuilder text = new StringBuilder();
            logs.forEach(m -> text.append(m.getData().toString(StandardCharsets.UTF_8)));
            return text.toString();
        } finally {
            c.remove();
            c.close();
        }
    }

    private static String rejection(
            DockerExecutor executor, UnaryOperator<ContainerSpec.Builder> edit) throws Exception {
        Task task = task(edit.apply(shell("true")));
        Controller c;
        try {
            c = executor.controller(task);
        } catch (InvalidTaskException e) {
            return e.getMessage();
        }
        try {
            return assertThrows(InvalidTaskException.class, c::prepare, "prepare should refuse")
                    .getMessage();
        } finally {
            c.remove();
            c.close();
        }
    }

    private static final String STATUS =
            "grep -E '^(NoNewPrivs|Seccomp|CapEff):' /proc/self/status";

    static Stream<Arguments> honoured() {
        String denyMkdir =
                "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\",\"mkdirat\"],"
                        + "\"action\":\"SCMP_ACT_ERRNO\"}]}";
        return Stream.of(
                // the reproduction: NoNewPrivs stayed 0
                Arguments.of(
                        "privileges.no_new_privileges",
                        (UnaryOperator<ContainerSpec.Builder>)
                                c ->
                                        c.setPrivileges(
                                                Privileges.newBuilder().setNoNewPrivileges(true)),
                        STATUS,
                        "NoNewPrivs:\t1"),
                Arguments.of(
                        "no privileges asked",
                        (UnaryOperator<ContainerSpec.Builder>) c -> c,
                        STATUS,
                        "NoNewPrivs:\t0"),
                Arguments.of(
                        "privileges.seccomp CUSTOM",
                        (UnaryOperator<ContainerSpec.Builder>)
                                c ->
                                        c.setPrivileges(
                                                Privileges.newBuilder()
                                                        .setSeccomp(
                                                                Privileges.SeccompOpts.newBuilder()
                                                                        .setMode(
                                                                                Privileges
                                                                                        .SeccompOpts
                                                                                        .SeccompMode
                                                                                        .CUSTOM)
                                                                        .setProfile(
                                                                                ByteString
                                                                                        .copyFromUtf8(
                                                                                                denyMkdir)))),
                        "mkdir /tmp/d 2>&1 || echo refused",
                        "refused"),
                Arguments.of(
                        "capability_drop ALL",
                        (UnaryOperator<ContainerSpec.Builder>) c -> c.addCapabilityDrop("ALL"),
                        STATUS,
                        "CapEff:\t0000000000000000"),
                Arguments.of(
                        "capability_add SYS_NICE",
                        (UnaryOperator<ContainerSpec.Builder>)
                                c -> c.addCapabilityDrop("ALL").addCapabilityAdd("CAP_SYS_NICE"),
                        STATUS,
                        "CapEff:\t0000000000800000"),
                Arguments.of(
                        "sysctls",
                        (UnaryOperator<ContainerSpec.Builder>)
                                c -> c.putSysctls("net.ipv4.ip_unprivileged_port_start", "42"),
                        "cat /proc/sys/net/ipv4/ip_unprivileged_port_start",
                        "42"),
                Arguments.of(
                        "ulimits",
                        (UnaryOperator<ContainerSpec.Builder>)
                                c ->
                                        c.addUlimits(
                                                ContainerSpec.Ulimit.newBuilder()
                                                        .setName("nofile")
                                                        .setSoft(123)
                                                        .setHard(456)),
                        "ulimit -n; ulimit -Hn",
                        "123\n456"),
                Arguments.of(
                        "init",
                        (UnaryOperator<ContainerSpec.Builder>) c -> c.setInit(BoolValue.of(true)),
                        "cat /proc/1/comm",
                        "init"),
                Arguments.of(
                        "oom_score_adj",
                        (UnaryOperator<ContainerSpec.Builder>) c -> c.setOomScoreAdj(500),
                        "cat /proc/self/oom_score_adj",
                        "500"),
                Arguments.of(
                        "read_only",
                        (UnaryOperator<ContainerSpec.Builder>) c -> c.setReadOnly(true),
                        "touch /x 2>&1 || echo refused",
                        "refused"),
                Arguments.of(
                        "groups",
                        (UnaryOperator<ContainerSpec.Builder>) c -> c.addGroups("4242"),
                        "id -G",
                        "4242"),
                Arguments.of(
                        "pidsLimit",
                        (UnaryOperator<ContainerSpec.Builder>) c -> c.setPidsLimit(7),
                        "cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max",
                        "7"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("honoured")
    void honouredAsSeenFromInside(
            String field, UnaryOperator<ContainerSpec.Builder> edit, String script, String expected)
            throws Exception {
        String out = output(restricted, edit, script);
        assertTrue(out.contains(expected), field + ": expected " + expected + " in " + out);
    }

    @Test
    void seccompUnconfinedIsHonouredWhenThePolicyAllowsIt() throws Exception {
        UnaryOperator<ContainerSpec.Builder> unconfined =
                c ->
                        c.setPrivileges(
                                Privileges.newBuilder()
                                        .setSeccomp(
                                                Privileges.SeccompOpts.newBuilder()
                                                        .setMode(
                                                                Privileges.SeccompOpts.SeccompMode
                                                                        .UNCONFINED)));
        assertTrue(output(unrestricted, unconfined, STATUS).contains("Seccomp:\t0"));
        assertTrue(
                output(unrestricted, c -> c, STATUS).contains("Seccomp:\t2"),
                "the engine's default filter");
        String refused = rejection(restricted, unconfined);
        assertTrue(
                refused.contains("rule allow-unconfined") && refused.contains("privileges.seccomp"),
                refused);
    }

    @Test
    void apparmorDisabledReachesTheEngine() throws Exception {
        Task task =
                task(
                        shell("true")
                                .setPrivileges(
                                        Privileges.newBuilder()
                                                .setApparmor(
                                                        Privileges.AppArmorOpts.newBuilder()
                                                                .setMode(
                                                                        Privileges.AppArmorOpts
                                                                                .AppArmorMode
                                                                                .DISABLED))));
        DockerController c = (DockerController) unrestricted.controller(task);
        try {
            c.prepare();
            var inspect =
                    unrestricted
                            .engineForTests()
                            .client()
                            .inspectContainerCmd(ContainerPlan.containerName(task))
                            .exec();
            assertTrue(
                    inspect.getHostConfig().getSecurityOpts().contains("apparmor=unconfined"),
                    String.valueOf(inspect.getHostConfig().getSecurityOpts()));
        } finally {
            c.remove();
            c.close();
        }
        assertTrue(
                rejection(
                                restricted,
                                s ->
                                        s.setPrivileges(
                                                Privileges.newBuilder()
                                                        .setApparmor(
                                                                Privileges.AppArmorOpts.newBuilder()
                                                                        .setMode(
                                                                                Privileges
                                                                                        .AppArmorOpts
                                                                                        .AppArmorMode
                                                                                        .DISABLED))))
                        .contains("rule allow-unconfined"));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(
                        "privileges.credential_spec",
                        (UnaryOperator<ContainerSpec.Builder>)
                                c ->
                                        c.setPrivileges(
                                                Privileges.newBuilder()
                                                        .setCredentialSpec(
                                                                Privileges.CredentialSpec
                                                                        .newBuilder()
                                                                        .setFile("spec.json")))),
                // this engine runs without SELinux: labels would be ignored, so they are refused
                Arguments.of(
                        "privileges.selinux_context",
                        (UnaryOperator<ContainerSpec.Builder>)
                                c ->
                                        c.setPrivileges(
                                                Privileges.newBuilder()
                                                        .setSelinuxContext(
                                                                Privileges.SELinuxContext
                                                                        .newBuilder()
                                                                        .setType(
                                                                                "svirt_lxc_net_t")))),
                Arguments.of(
                        "isolation",
                        (UnaryOperator<ContainerSpec.Builder>)
                                c -> c.setIsolation(ContainerSpec.Isolation.ISOLATION_HYPERV)),
                Arguments.of(
                        "secrets",
                        (UnaryOperator<ContainerSpec.Builder>)
                                c -> c.addSecrets(SecretReference.newBuilder().setSecretId("s1"))),
                Arguments.of(
                        "configs",
                        (UnaryOperator<ContainerSpec.Builder>)
                                c ->
                                        c.addConfigs(
                                                dev.taskexec.api.proto.ConfigReference.newBuilder()
                                                        .setConfigId("c1"))),
                Arguments.of(
                        "pull_options.registry_auth",
                        (UnaryOperator<ContainerSpec.Builder>)
                                c ->
                                        c.setPullOptions(
                                                ContainerSpec.PullOptions.newBuilder()
                                                        .setRegistryAuth("x\r\nInjected: 1"))),
                Arguments.of(
                        "container.mounts[0].bind_options: createmountpoint",
                        (UnaryOperator<ContainerSpec.Builder>)
                                c ->
                                        c.addMounts(
                                                Mount.newBuilder()
                                                        .setType(Mount.Type.BIND)
                                                        .setSource("/tmp")
                                                        .setTarget("/m")
                                                        .setBindOptions(
                                                                Mount.BindOptions.newBuilder()
                                                                        .setCreatemountpoint(
                                                                                true)))),
                Arguments.of(
                        "volume_options.subpath",
                        (UnaryOperator<ContainerSpec.Builder>)
                                c ->
                                        c.addMounts(
                                                Mount.newBuilder()
                                                        .setType(Mount.Type.VOLUME)
                                                        .setTarget("/m")
                                                        .setVolumeOptions(
                                                                Mount.VolumeOptions.newBuilder()
                                                                        .setSubpath("sub")))),
                Arguments.of(
                        "tmpfs_options.options",
                        (UnaryOperator<ContainerSpec.Builder>)
                                c ->
                                        c.addMounts(
                                                Mount.newBuilder()
                                                        .setType(Mount.Type.TMPFS)
                                                        .setTarget("/m")
                                                        .setTmpfsOptions(
                                                                Mount.TmpfsOptions.newBuilder()
                                                                        .setOptions("exec")))),
                Arguments.of(
                        "consistency",
                        (UnaryOperator<ContainerSpec.Builder>)
                                c ->
                                        c.addMounts(
                                                Mount.newBuilder()
                                                        .setType(Mount.Type.TMPFS)
                                                        .setTarget("/m")
                                                        .setConsistency(
                                                                Mount.Consistency.CACHED))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedNamingTheField(String field, UnaryOperator<ContainerSpec.Builder> edit)
            throws Exception {
        String message = rejection(unrestricted, edit);
        assertTrue(message.contains(field), "\"" + message + "\" names " + field);
    }

    @Test
    void logDriverIsRefusedNamingIt() throws Exception {
        Task task = task(shell("true"));
        Task withDriver =
                task.toBuilder()
                        .setSpec(
                                task.getSpec().toBuilder()
                                        .setLogDriver(Driver.newBuilder().setName("syslog")))
                        .build();
        InvalidTaskException e =
                assertThrows(InvalidTaskException.class, () -> unrestricted.controller(withDriver));
        assertTrue(e.getMessage().contains("log_driver"), e.getMessage());
    }

    // ---- node policy, one test per rule ----

    private static UnaryOperator<ContainerSpec.Builder> bind(String source) {
        return c ->
                c.addMounts(
                        Mount.newBuilder()
                                .setType(Mount.Type.BIND)
                                .setSource(source)
                                .setTarget("/host")
                                .setReadonly(true));
    }

    @Test
    void ruleAllowBind() throws Exception {
        String refused = rejection(restricted, bind("/"));
        assertTrue(
                refused.contains("rule allow-bind") || refused.contains("rule allow-docker-socket"),
                refused);
        assertTrue(rejection(restricted, bind("/etc")).contains("rule allow-bind"));
        try (DockerExecutor allowing =
                DockerTestEnvironment.executor(Map.of(NodePolicy.ALLOW_BIND, "/etc"))) {
            assertTrue(
                    output(allowing, bind("/etc"), "test -f /host/hostname && echo mounted")
                            .contains("mounted"));
            assertTrue(rejection(allowing, bind("/usr")).contains("rule allow-bind"));
            assertTrue(
                    rejection(allowing, bind("/etc/../usr")).contains("rule allow-bind"),
                    "normalised before matching");
        }
    }

    @Test
    void ruleAllowDockerSocket() throws Exception {
        try (DockerExecutor bindAnything =
                DockerTestEnvironment.executor(Map.of(NodePolicy.ALLOW_BIND, "/"))) {
            for (String source :
                    List.of("/var/run/docker.sock", "/run/docker.sock", "/var/run", "/run", "/")) {
                String refused = rejection(bindAnything, bind(source));
                assertTrue(refused.contains("rule allow-docker-socket"), source + ": " + refused);
            }
            assertFalse(
                    output(bindAnything, bind("/etc"), "echo ran").isEmpty(),
                    "other paths stay allowed");
        }
    }

    @Test
    void ruleAllowPrivilegedCapabilities() throws Exception {
        for (String cap :
                List.of("SYS_ADMIN", "CAP_SYS_MODULE", "ALL", "sys_ptrace", "NET_ADMIN")) {
            String refused = rejection(restricted, c -> c.addCapabilityAdd(cap));
            assertTrue(
                    refused.contains("rule allow-privileged-capabilities"), cap + ": " + refused);
        }
        try (DockerExecutor allowing =
                DockerTestEnvironment.executor(
                        Map.of(NodePolicy.ALLOW_PRIVILEGED_CAPABILITIES, "true"))) {
            assertTrue(
                    output(
                                    allowing,
                                    c -> c.addCapabilityDrop("ALL").addCapabilityAdd("SYS_ADMIN"),
                                    STATUS)
                            .contains("CapEff:\t0000000000200000"));
        }
    }

    @Test
    void ruleAllowedImages() throws Exception {
        try (DockerExecutor only =
                DockerTestEnvironment.executor(
                        Map.of(NodePolicy.ALLOWED_IMAGES, "registry.example/*,taskexec-test:*"))) {
            assertTrue(output(only, c -> c, "echo allowed").contains("allowed"));
            String refused = rejection(only, c -> c.setImage("busybox:latest"));
            assertTrue(
                    refused.contains("rule allowed-images") && refused.contains("busybox"),
                    refused);
        }
    }

    @Test
    void badPolicyOptionsNameTheOption() {
        for (Map<String, String> bad :
                List.of(
                        Map.of(NodePolicy.POLICY, "lax"),
                        Map.of(NodePolicy.ALLOW_BIND, "relative/path"),
                        Map.of(NodePolicy.ALLOW_DOCKER_SOCKET, "yes"))) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> DockerOptions.parse(bad));
            assertTrue(e.getMessage().contains(bad.keySet().iterator().next()), e.getMessage());
        }
        assertEquals(NodePolicy.restricted(), DockerOptions.defaults().policy());
    }
}
