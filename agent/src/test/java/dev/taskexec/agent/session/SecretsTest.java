package dev.taskexec.agent.session;

import static dev.taskexec.agent.session.FakeManager.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.taskexec.agent.proto.Assignment;
import dev.taskexec.agent.proto.AssignmentChange;
import dev.taskexec.agent.proto.AssignmentsMessage;
import dev.taskexec.agent.proto.Secret;
import dev.taskexec.agent.proto.SecretSpec;
import dev.taskexec.agent.runtime.TaskMapping;
import dev.taskexec.api.proto.FileTarget;
import dev.taskexec.api.proto.SecretReference;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest extends SessionFixture {

    @TempDir Path files;

    static AssignmentChange secret(String id, String data) {
        return AssignmentChange.newBuilder()
                .setAssignment(
                        Assignment.newBuilder()
                                .setSecret(
                                        Secret.newBuilder()
                                                .setId(id)
                                                .setSpec(
                                                        SecretSpec.newBuilder()
                                                                .setData(
                                                                        ByteString.copyFromUtf8(
                                                                                data)))))
                .build();
    }

    static AssignmentChange removeSecret(String id) {
        return AssignmentChange.newBuilder()
                .setAction(AssignmentChange.AssignmentAction.REMOVE)
                .setAssignment(Assignment.newBuilder().setSecret(Secret.newBuilder().setId(id)))
                .build();
    }

    static Task withSecret(String taskId, String secretId) {
        Task t = task(taskId, TaskState.RUNNING, "after=never");
        return t.toBuilder()
                .setSpec(
                        t.getSpec().toBuilder()
                                .setContainer(
                                        t.getSpec().getContainer().toBuilder()
                                                .addSecrets(
                                                        SecretReference.newBuilder()
                                                                .setSecretId(secretId)
                                                                .setSecretName("db")
                                                                .setFile(
                                                                        FileTarget.newBuilder()
                                                                                .setName("db")
                                                                                .setMode(0400)))))
                .build();
    }

    @Test
    void aSecretBecomesAFileWhileItsTaskIsAssignedAndIsWipedWithIt() throws Exception {
        FakeManager m = manager();
        // the secret after the task that needs it, as managers may send them
        m.setComplete(List.of(update(withSecret("t", "s1")), secret("s1", "hunter2")));
        start(builder(m.address).mapping(TaskMapping.process(files, Set.of())));
        await("t RUNNING", WAIT, () -> state(m, "t") == TaskState.RUNNING);
        Path file = files.resolve("t/secrets/db");
        assertEquals("hunter2", Files.readString(file));
        Task seen = fake.controllers("t").get(0).task();
        assertTrue(
                seen.getSpec()
                        .getContainer()
                        .getEnvList()
                        .contains("TASKEXEC_SECRETS_DIR=" + files.resolve("t/secrets")));
        assertEquals(0, seen.getSpec().getContainer().getSecretsCount());

        m.send(
                AssignmentsMessage.Type.INCREMENTAL,
                List.of(removeTask("t"), removeSecret("s1"), removeSecret("unknown")));
        await("t's files removed", WAIT, () -> !Files.exists(files.resolve("t")));
        assertEquals(1, m.sessionCount());
    }

    @Test
    void anOversizedTaskIsRejectedByTheInputGuardWithAShortMessage() throws Exception {
        FakeManager m = manager();
        Task t = task("huge", TaskState.RUNNING, "after=never");
        String arg = "x".repeat(1 << 20);
        t =
                t.toBuilder()
                        .setSpec(
                                t.getSpec().toBuilder()
                                        .setContainer(
                                                t.getSpec().getContainer().toBuilder()
                                                        .addArgs(arg)))
                        .build();
        m.setComplete(List.of(update(t)));
        start(builder(m.address).mapping(TaskMapping.process(files, Set.of())));
        await("huge REJECTED", WAIT, () -> state(m, "huge") == TaskState.REJECTED);
        String err = m.statuses.get("huge").getErr();
        assertTrue(err.startsWith("spec.container.args[") && err.length() < 1024, err);
        assertTrue(worker.status("huge").isEmpty(), "a refused task never reaches the worker");
    }

    @Test
    void aCompleteAssignmentWipesSecretsItDoesNotList() throws Exception {
        FakeManager m = manager();
        m.setComplete(List.of(secret("s1", "x")));
        start(builder(m.address).mapping(TaskMapping.process(files, Set.of())));
        await("assignments stream", WAIT, () -> m.assignmentCalls.get() == 1);
        m.send(
                AssignmentsMessage.Type.COMPLETE,
                List.of(update(task("other", TaskState.RUNNING, "after=never"))));
        // s1 was in the first COMPLETE only: a task needing it now cannot get it
        m.send(AssignmentsMessage.Type.INCREMENTAL, List.of(update(withSecret("late", "s1"))));
        await("late REJECTED", WAIT, () -> state(m, "late") == TaskState.REJECTED);
        assertEquals(
                "container.secrets[0]: secret \"db\" (id s1) is not assigned to this node",
                m.statuses.get("late").getErr());
        assertTrue(worker.status("late").isEmpty(), "a refused task never reaches the worker");
        assertFalse(Files.exists(files.resolve("late")));
        m.send(AssignmentsMessage.Type.INCREMENTAL, List.of(removeTask("late")));
        await("other still RUNNING", WAIT, () -> state(m, "other") == TaskState.RUNNING);
    }

    /**
     * The real manager's order (observed against Docker Engine 20.10): once the task has ended it
     * sends the task again (its status now final) in the same message that takes back its secret.
     * The task keeps the spec mapped when it arrived; mapping it again would reject a task that had
     * completed, and the manager would show it Rejected.
     */
    @Test
    void aTaskRepeatedAfterItsSecretWasTakenBackKeepsItsFinalState() throws Exception {
        FakeManager m = manager();
        Task t = withSecret("t", "s1");
        t =
                t.toBuilder()
                        .setSpec(
                                t.getSpec().toBuilder()
                                        .setContainer(
                                                t.getSpec().getContainer().toBuilder()
                                                        .clearArgs()
                                                        .addArgs("exit=0")))
                        .build();
        m.setComplete(List.of(update(t), secret("s1", "hunter2")));
        start(builder(m.address).mapping(TaskMapping.process(files, Set.of())));
        await("t COMPLETE", WAIT, () -> state(m, "t") == TaskState.COMPLETE);

        Task ended = t.toBuilder().setStatus(m.statuses.get("t")).build();
        m.send(AssignmentsMessage.Type.INCREMENTAL, List.of(update(ended), removeSecret("s1")));
        // assignments are applied in order, and statuses reported in order: once the marker runs,
        // whatever the repeated task would have caused has been reported
        m.send(
                AssignmentsMessage.Type.INCREMENTAL,
                List.of(update(task("marker", TaskState.RUNNING, "after=never"))));
        await("marker RUNNING", WAIT, () -> state(m, "marker") == TaskState.RUNNING);
        assertEquals(TaskState.COMPLETE, state(m, "t"), "err: " + m.statuses.get("t").getErr());
        assertEquals(TaskState.COMPLETE, worker.status("t").orElseThrow().getState());
    }
}
