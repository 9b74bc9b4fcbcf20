package dev.taskexec.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.core.StoredTask;
import dev.taskexec.core.TaskStoreException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SqliteTaskStoreTest {

    @TempDir Path dir;

    private static Task task(String id, TaskState state) {
        return Task.newBuilder()
                .setId(id)
                .setServiceId("svc")
                .setDesiredState(TaskState.RUNNING)
                .setStatus(
                        TaskStatus.newBuilder()
                                .setState(state)
                                .setMessage(state.name().toLowerCase()))
                .build();
    }

    private static TaskStatus status(TaskState state) {
        return TaskStatus.newBuilder().setState(state).build();
    }

    @Test
    void recordsSurviveClosingAndReopeningInTheOrderFirstStored() {
        try (SqliteTaskStore store = SqliteTaskStore.open(dir)) {
            store.put(task("b", TaskState.ACCEPTED));
            store.put(task("a", TaskState.ACCEPTED));
            store.putStatus("b", status(TaskState.RUNNING));
            store.markRemoved("a");
        }
        try (SqliteTaskStore store = SqliteTaskStore.open(dir)) {
            List<StoredTask> loaded = store.load();
            assertEquals(List.of("b", "a"), loaded.stream().map(StoredTask::id).toList());
            assertEquals(TaskState.RUNNING, loaded.get(0).task().getStatus().getState());
            assertFalse(loaded.get(0).removed());
            assertTrue(loaded.get(1).removed());
            assertEquals("svc", loaded.get(1).task().getServiceId(), "the task itself is kept");
            store.delete("a");
            store.delete("a");
            assertEquals(List.of("b"), store.load().stream().map(StoredTask::id).toList());
        }
    }

    @Test
    void anUpdateKeepsTheStoredStatusAndAStatusNeverRevivesADeletedRecord() {
        try (SqliteTaskStore store = SqliteTaskStore.open(dir)) {
            store.put(task("a", TaskState.ACCEPTED));
            store.putStatus("a", status(TaskState.RUNNING));
            store.put(
                    task("a", TaskState.ACCEPTED).toBuilder()
                            .setDesiredState(TaskState.SHUTDOWN)
                            .build());
            Task loaded = store.load().get(0).task();
            assertEquals(
                    TaskState.RUNNING,
                    loaded.getStatus().getState(),
                    "status moves only through putStatus");
            assertEquals(TaskState.SHUTDOWN, loaded.getDesiredState());
            store.delete("a");
            store.putStatus("a", status(TaskState.COMPLETE));
            assertEquals(List.of(), store.load());
        }
    }

    @Test
    void aClosedStoreRefusesEverything() {
        SqliteTaskStore store = SqliteTaskStore.open(dir);
        store.close();
        store.close();
        TaskStoreException e = assertThrows(TaskStoreException.class, store::load);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void aFileThatIsNotSqliteIsRefusedAndLeftUntouched() throws Exception {
        byte[] garbage =
                "this is somebody's notes, not a database\n"
                        .repeat(200)
                        .getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve(SqliteTaskStore.DATABASE), garbage);
        TaskStoreException e =
                assertThrows(TaskStoreException.class, () -> SqliteTaskStore.open(dir));
        assertTrue(e.getMessage().contains("is not a SQLite database"), e.getMessage());
        assertArrayEquals(garbage, Files.readAllBytes(dir.resolve(SqliteTaskStore.DATABASE)));
    }

    @Test
    void aCorruptStoreIsRefusedAndLeftUntouched() throws Exception {
        try (SqliteTaskStore store = SqliteTaskStore.open(dir)) {
            for (int i = 0; i < 200; i++) {
                store.put(task("task-" + i, TaskState.ACCEPTED));
            }
        }
        Path file = dir.resolve(SqliteTaskStore.DATABASE);
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] noise = new byte[4096];
            new java.util.Random(7).nextBytes(noise);
            raw.seek(4096); // the second page onwards: the header still says SQLite
            raw.write(noise);
            raw.seek(3 * 4096L);
            raw.write(noise);
        }
        byte[] before = Files.readAllBytes(file);
        TaskStoreException e =
                assertThrows(TaskStoreException.class, () -> SqliteTaskStore.open(dir));
        assertTrue(
                e.getMessage().contains("corrupt") || e.getMessage().contains("cannot be read"),
                e.getMessage());
        assertTrue(e.getMessage().contains("left untouched"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void aStoreFromANewerSchemaIsRefusedAndLeftUntouched() throws Exception {
        Path file = dir.resolve(SqliteTaskStore.DATABASE);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE task (id TEXT, future BLOB)");
            s.execute("PRAGMA application_id = " + Schema.APPLICATION_ID);
            s.execute("PRAGMA user_version = " + (SqliteTaskStore.SCHEMA_VERSION + 1));
        }
        byte[] before = Files.readAllBytes(file);
        TaskStoreException e =
                assertThrows(TaskStoreException.class, () -> SqliteTaskStore.open(dir));
        assertTrue(e.getMessage().contains("written by a newer taskexec"), e.getMessage());
        assertTrue(
                e.getMessage().contains("schema version " + (SqliteTaskStore.SCHEMA_VERSION + 1)),
                e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void anotherApplicationsDatabaseIsRefused() throws Exception {
        Path file = dir.resolve(SqliteTaskStore.DATABASE);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE recipes (name TEXT)");
        }
        TaskStoreException e =
                assertThrows(TaskStoreException.class, () -> SqliteTaskStore.open(dir));
        assertTrue(e.getMessage().contains("not a taskexec task store"), e.getMessage());
    }

    @Test
    void anEmptyFileLeftByACrashBeforeTheFirstWriteBecomesAStore() throws Exception {
        Files.createFile(dir.resolve(SqliteTaskStore.DATABASE));
        try (SqliteTaskStore store = SqliteTaskStore.open(dir)) {
            store.put(task("a", TaskState.ACCEPTED));
            assertEquals(1, store.load().size());
        }
    }

    @Test
    void aStoreOpenInThisProcessCannotBeOpenedAgain() {
        try (SqliteTaskStore store = SqliteTaskStore.open(dir)) {
            TaskStoreException e =
                    assertThrows(TaskStoreException.class, () -> SqliteTaskStore.open(dir));
            assertTrue(e.getMessage().contains("already open in this process"), e.getMessage());
            store.put(
                    task("a", TaskState.ACCEPTED)); // the refused open did not disturb the open one
        }
        try (SqliteTaskStore again = SqliteTaskStore.open(dir)) {
            assertEquals(1, again.load().size());
        }
    }

    @Test
    void aStoreHeldByAnotherLiveProcessIsRefusedAndFreedWhenThatProcessIsKilled() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process holder =
                new ProcessBuilder(
                                java.toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                HoldStore.class.getName(),
                                dir.toString())
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        try {
            BufferedReader out =
                    new BufferedReader(
                            new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(
                    line != null && line.startsWith("open"),
                    "the holder opened the store: " + line);
            TaskStoreException e =
                    assertThrows(TaskStoreException.class, () -> SqliteTaskStore.open(dir));
            assertTrue(
                    e.getMessage()
                            .contains("locked by another live process (pid " + holder.pid() + ")"),
                    e.getMessage());
        } finally {
            holder.destroyForcibly(); // SIGKILL: no clean-up, as in a crash
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        try (SqliteTaskStore store = SqliteTaskStore.open(dir)) {
            assertEquals(List.of(), store.load(), "the kernel dropped the dead holder's lock");
        }
    }
}
