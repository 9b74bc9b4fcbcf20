package dev.taskexec.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.taskexec.api.proto.ConfigReference;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.FileTarget;
import dev.taskexec.api.proto.Mount;
import dev.taskexec.api.proto.Privileges;
import dev.taskexec.api.proto.SecretReference;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskMappingTest {

    @TempDir Path root;

    // what a mapping reads of the session's objects: their payloads (the session's SecretStore
    // makes them from the wire messages)
    final Map<String, AssignedObjects.Payload> secrets = new HashMap<>();
    final Map<String, AssignedObjects.Payload> configs = new HashMap<>();
    final AssignedObjects objects =
            new AssignedObjects() {
                @Override
                public Optional<Payload> secret(String id) {
                    return Optional.ofNullable(secrets.get(id));
                }

                @Override
                public Optional<Payload> config(String id) {
                    return Optional.ofNullable(configs.get(id));
                }
            };

    static Task task(ContainerSpec.Builder c) {
        return Task.newBuilder().setId("t1").setSpec(TaskSpec.newBuilder().setContainer(c)).build();
    }

    /** What `docker service create busybox sh -c 'echo hi'` sends. */
    static ContainerSpec.Builder fromCli() {
        return ContainerSpec.newBuilder()
                .setImage("busybox:latest@sha256:abc")
                .addAllArgs(List.of("sh", "-c", "echo hi"))
                .setDnsConfig(ContainerSpec.DNSConfig.getDefaultInstance())
                .setPrivileges(Privileges.getDefaultInstance());
    }

    void secret(String id, String data) {
        secrets.put(id, new AssignedObjects.Payload(ByteString.copyFromUtf8(data), "", ""));
    }

    void config(String id, String data) {
        configs.put(id, new AssignedObjects.Payload(ByteString.copyFromUtf8(data), "", ""));
    }

    static SecretReference secretRef(String id, String name, int mode) {
        return SecretReference.newBuilder()
                .setSecretId(id)
                .setSecretName(name)
                .setFile(
                        FileTarget.newBuilder().setName(name).setUid("0").setGid("0").setMode(mode))
                .build();
    }

    @Test
    void processArgsBecomeTheArgvWhenThereIsNoCommandAndEmptyCliFieldsAreDropped() {
        Task mapped = TaskMapping.process(root, Set.of()).map(task(fromCli()), objects);
        ContainerSpec c = mapped.getSpec().getContainer();
        assertEquals(List.of("sh"), c.getCommandList());
        assertEquals(List.of("-c", "echo hi"), c.getArgsList());
        assertFalse(c.hasDnsConfig());
        assertFalse(c.hasPrivileges());
    }

    @Test
    void processKeepsAnEntrypointAndLeavesNonEmptyFieldsForTheBackendToRefuse() {
        ContainerSpec.Builder c =
                fromCli()
                        .addCommand("/bin/echo")
                        .setDnsConfig(
                                ContainerSpec.DNSConfig.newBuilder().addNameservers("1.1.1.1"));
        ContainerSpec out =
                TaskMapping.process(root, Set.of()).map(task(c), objects).getSpec().getContainer();
        assertEquals(List.of("/bin/echo"), out.getCommandList());
        assertEquals(List.of("sh", "-c", "echo hi"), out.getArgsList());
        assertTrue(out.hasDnsConfig());
    }

    @Test
    void processImageAllowListIgnoresThePinnedDigest() {
        TaskMapping m = TaskMapping.process(root, Set.of("busybox:latest"));
        m.map(task(fromCli()), objects);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> m.map(task(fromCli().setImage("nginx")), objects));
        assertEquals(
                "container.image: \"nginx\" is not in this node's image allow-list [busybox:latest]",
                e.getMessage());
    }

    @Test
    void processSecretsAndConfigsBecomeFilesInTheTasksDirectoryNamedByTheEnvironment()
            throws Exception {
        secret("sid", "s3cret");
        config("cid", "conf");
        ContainerSpec.Builder c =
                fromCli()
                        .addSecrets(secretRef("sid", "db", 0400))
                        .addConfigs(
                                ConfigReference.newBuilder()
                                        .setConfigId("cid")
                                        .setConfigName("app")
                                        .setFile(
                                                FileTarget.newBuilder()
                                                        .setName("/app.conf")
                                                        .setMode(0444)));
        TaskMapping m = TaskMapping.process(root, Set.of());
        Task mapped = m.map(task(c), objects);
        ContainerSpec out = mapped.getSpec().getContainer();
        assertEquals(0, out.getSecretsCount());
        assertEquals(0, out.getConfigsCount());
        Path dir = root.resolve("t1");
        assertTrue(
                out.getEnvList().contains("TASKEXEC_SECRETS_DIR=" + dir.resolve("secrets")),
                out.getEnvList().toString());
        assertTrue(out.getEnvList().contains("TASKEXEC_CONFIGS_DIR=" + dir.resolve("configs")));
        Path secretFile = dir.resolve("secrets/db");
        assertEquals("s3cret", Files.readString(secretFile));
        assertEquals(
                "r--------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile)));
        assertEquals("conf", Files.readString(dir.resolve("configs/app.conf")));
        assertEquals(
                "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));

        assertEquals(
                mapped,
                m.map(task(c), objects),
                "a later assignment of the same task maps to the same task");
        m.release("t1");
        assertFalse(Files.exists(dir));
        m.release("t1");
    }

    @Test
    void aMissingTemplatedOrEscapingSecretIsRefusedNamingTheField() {
        TaskMapping m = TaskMapping.process(root, Set.of());
        IllegalArgumentException missing =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                m.map(
                                        task(fromCli().addSecrets(secretRef("nope", "db", 0444))),
                                        objects));
        assertEquals(
                "container.secrets[0]: secret \"db\" (id nope) is not assigned to this node",
                missing.getMessage());

        secrets.put("tpl", new AssignedObjects.Payload(ByteString.EMPTY, "golang", ""));
        IllegalArgumentException templated =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                m.map(
                                        task(fromCli().addSecrets(secretRef("tpl", "x", 0444))),
                                        objects));
        assertTrue(
                templated
                        .getMessage()
                        .startsWith("container.secrets[0]: templated secrets (golang)"),
                templated.getMessage());

        secret("sid", "x");
        IllegalArgumentException escaping =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                m.map(
                                        task(
                                                fromCli()
                                                        .addSecrets(
                                                                secretRef(
                                                                        "sid",
                                                                        "../../etc/passwd",
                                                                        0444))),
                                        objects));
        assertTrue(
                escaping.getMessage().startsWith("container.secrets[0]: the file name"),
                escaping.getMessage());
    }

    @Test
    void dockerSecretsAndConfigsBecomeReadOnlyBindMountsAtSwarmsTargets() throws Exception {
        secret("sid", "pw");
        config("cid", "c");
        ContainerSpec.Builder c =
                fromCli()
                        .addSecrets(secretRef("sid", "db", 0444))
                        .addConfigs(
                                ConfigReference.newBuilder()
                                        .setConfigId("cid")
                                        .setConfigName("app")
                                        .setFile(FileTarget.newBuilder().setName("app")));
        TaskMapping m = TaskMapping.docker(root);
        ContainerSpec out = m.map(task(c), objects).getSpec().getContainer();
        assertEquals(List.of(), out.getCommandList(), "the image's entrypoint stays in charge");
        assertEquals(
                List.of("/run/secrets/db", "/app"),
                out.getMountsList().stream().map(Mount::getTarget).toList());
        for (Mount mount : out.getMountsList()) {
            assertEquals(Mount.Type.BIND, mount.getType());
            assertTrue(mount.getReadonly());
            assertTrue(Files.exists(Path.of(mount.getSource())));
        }
        assertEquals("pw", Files.readString(Path.of(out.getMounts(0).getSource())));
        m.release("t1");
        assertFalse(Files.exists(Path.of(out.getMounts(0).getSource())));
    }

    @Test
    void forBackendPicksTheBundledMappings() {
        assertEquals(ProcessTaskMapping.class, TaskMapping.forBackend("process", root).getClass());
        assertEquals(DockerTaskMapping.class, TaskMapping.forBackend("docker", root).getClass());
        Task t = task(fromCli());
        assertEquals(
                List.of("sh", "-c", "echo hi"),
                TaskMapping.forBackend("fake", root)
                        .map(t, objects)
                        .getSpec()
                        .getContainer()
                        .getArgsList());
    }
}
