package dev.taskexec.benchmarks.store;

import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.store.sqlite.Durability;
import dev.taskexec.store.sqlite.SqliteTaskStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The latency of storing one status in the SQLite task store: what every status change of a
 * durable worker costs before it is reported. Throughput of one writer is 1 / latency (writes are
 * serialised by SQLite, so more writers do not add throughput).
 *
 * <p>{@code durability} is the fsync policy: {@code SYNC_EVERY_WRITE} fsyncs the write-ahead log on
 * every commit, {@code SYNC_AT_CHECKPOINTS} only at checkpoints. The baseline is the same
 * {@code UPDATE} through sqlite-jdbc directly, with the same pragmas. The store lives in a
 * temporary directory of {@code java.io.tmpdir} (on the figures' machine: ext4 on a virtual disk).
 *
 * <pre>
 * benchmarks/run.sh full StatusWriteBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class StatusWriteBenchmark {

    private static final int TASKS = 1000;

    @Param({"SYNC_EVERY_WRITE", "SYNC_AT_CHECKPOINTS"})
    public Durability durability;

    private Path storeDir;
    private Path rawDir;
    private SqliteTaskStore store;
    private Connection raw;
    private PreparedStatement rawUpdate;
    private TaskStatus[] statuses;
    private byte[][] statusBytes;
    private String[] ids;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException, SQLException {
        storeDir = Files.createTempDirectory("taskexec-bench-store");
        rawDir = Files.createTempDirectory("taskexec-bench-raw");
        store = SqliteTaskStore.open(storeDir, durability);
        raw = DriverManager.getConnection("jdbc:sqlite:" + rawDir.resolve("raw.db"));
        try (Statement s = raw.createStatement()) {
            s.execute("PRAGMA journal_mode = WAL");
            s.execute(
                    "PRAGMA synchronous = "
                            + (durability == Durability.SYNC_EVERY_WRITE ? "FULL" : "NORMAL"));
            s.execute(
                    "CREATE TABLE task (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
                            + " spec BLOB NOT NULL, status BLOB NOT NULL, state INTEGER NOT NULL,"
                            + " removed INTEGER NOT NULL DEFAULT 0)");
        }
        ids = new String[TASKS];
        statuses = new TaskStatus[TASKS];
        statusBytes = new byte[TASKS][];
        try (PreparedStatement insert =
                raw.prepareStatement(
                        "INSERT INTO task (id, spec, status, state) VALUES (?, ?, ?, ?)")) {
            for (int i = 0; i < TASKS; i++) {
                ids[i] = "task-" + i;
                statuses[i] =
                        TaskStatus.newBuilder()
                                .setState(TaskState.RUNNING)
                                .setMessage("started")
                                .setContainer(
                                        dev.taskexec.api.proto.ContainerStatus.newBuilder()
                                                .setContainerId("c" + i)
                                                .setPid(1000 + i))
                                .build();
                statusBytes[i] = statuses[i].toByteArray();
                Task task =
                        Task.newBuilder()
                                .setId(ids[i])
                                .setServiceId("svc")
                                .setDesiredState(TaskState.RUNNING)
                                .setStatus(TaskStatus.newBuilder().setState(TaskState.ACCEPTED))
                                .build();
                store.put(task);
                insert.setString(1, ids[i]);
                insert.setBytes(2, task.toBuilder().clearStatus().build().toByteArray());
                insert.setBytes(3, task.getStatus().toByteArray());
                insert.setInt(4, TaskState.ACCEPTED_VALUE);
                insert.executeUpdate();
            }
        }
        rawUpdate = raw.prepareStatement("UPDATE task SET status = ?, state = ? WHERE id = ?");
        if (store.load().size() != TASKS) {
            throw new IllegalStateException(
                    "the store does not hold the " + TASKS + " tasks it was given");
        }
    }

    @Benchmark
    public void putStatus() {
        int i = next++ % TASKS;
        store.putStatus(ids[i], statuses[i]);
    }

    @Benchmark
    public int baselineRawJdbc() throws SQLException {
        int i = next++ % TASKS;
        statuses[i].toByteArray(); // the store serialises too
        rawUpdate.setBytes(1, statusBytes[i]);
        rawUpdate.setInt(2, TaskState.RUNNING_VALUE);
        rawUpdate.setString(3, ids[i]);
        return rawUpdate.executeUpdate();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, SQLException {
        store.close();
        raw.close();
        delete(storeDir);
        delete(rawDir);
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
