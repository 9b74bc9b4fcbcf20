package dev.taskexec.store.sqlite;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.core.StoredTask;
import dev.taskexec.core.TaskStore;
import dev.taskexec.core.TaskStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TaskStore} in a SQLite database in a state directory, in write-ahead-log mode: the
 * durable store of a {@link dev.taskexec.core.Worker} that must survive its own restart.
 *
 * <pre>{@code
 * try (SqliteTaskStore store = SqliteTaskStore.open(Path.of("/var/lib/taskexec"));
 *      Worker worker = Worker.open(executor, store)) {
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Files.</b> The directory holds {@value #DATABASE} (with SQLite's {@code -wal} and
 * {@code -shm} files next to it while open) and {@value StoreLock#FILE_NAME}. It is created when
 * missing.
 *
 * <p><b>Bad files are never overwritten.</b> {@link #open} refuses, with a
 * {@link TaskStoreException} that names the file and what is wrong, and without writing to it:
 * <ul>
 *   <li>a directory another live process has open (an advisory lock the operating system drops
 *       when that process dies, so a crashed agent never blocks its successor), or one already
 *       open in this JVM;</li>
 *   <li>a database that is not SQLite, or not a taskexec store (another application's id, or
 *       tables of its own), or fails SQLite's integrity check (corrupt);</li>
 *   <li>a store written by a newer taskexec (a schema version above {@link #SCHEMA_VERSION}).</li>
 * </ul>
 * A store at an older schema version is migrated in place (see {@code Schema}).
 *
 * <p><b>Durability.</b> Every method returns once its change is committed, and, with the default
 * {@link Durability#SYNC_EVERY_WRITE}, fsynced. Each call is its own transaction; a crash at any
 * moment leaves every committed record whole.
 *
 * <p><b>Threads.</b> Thread-safe: calls are serialised on one connection (SQLite serialises
 * writers anyway). A call blocks for the time its commit takes; on a virtual thread the native
 * call pins its carrier for that time.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class SqliteTaskStore implements TaskStore {

    /** The database's file name in the state directory. */
    public static final String DATABASE = "tasks.db";

    /** The schema version this version of taskexec reads and writes. */
    public static final int SCHEMA_VERSION = Schema.CURRENT;

    private static final Logger log = LoggerFactory.getLogger(SqliteTaskStore.class);
    private static final byte[] SQLITE_MAGIC =
            "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final StoreLock storeLock;
    private final Connection connection;
    private final PreparedStatement insert;
    private final PreparedStatement updateStatus;
    private final PreparedStatement markRemoved;
    private final PreparedStatement delete;
    private final ReentrantLock lock = new ReentrantLock();

    /** Guarded by {@link #lock}. */
    private boolean closed;

    private SqliteTaskStore(Path file, StoreLock storeLock, Connection connection)
            throws SQLException {
        this.file = file;
        this.storeLock = storeLock;
        this.connection = connection;
        this.insert =
                connection.prepareStatement(
                        "INSERT INTO task (id, spec, status, state) VALUES (?, ?, ?, ?)"
                                + " ON CONFLICT (id) DO UPDATE SET spec = excluded.spec");
        this.updateStatus =
                connection.prepareStatement("UPDATE task SET status = ?, state = ? WHERE id = ?");
        this.markRemoved = connection.prepareStatement("UPDATE task SET removed = 1 WHERE id = ?");
        this.delete = connection.prepareStatement("DELETE FROM task WHERE id = ?");
    }

    /**
     * Opens (or creates) the store in {@code directory}, fsyncing every write.
     *
     * @see #open(Path, Durability)
     */
    public static SqliteTaskStore open(Path directory) {
        return open(directory, Durability.SYNC_EVERY_WRITE);
    }

    /**
     * Opens the store in {@code directory}, creating the directory and an empty store when
     * missing, and migrating one of an older schema version. See the class documentation for
     * what is refused.
     *
     * @param directory the state directory
     * @param durability when writes reach the disk
     * @return the open store; the caller closes it
     * @throws TaskStoreException if the store cannot be opened; nothing was written to it then
     */
    public static SqliteTaskStore open(Path directory, Durability durability) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(durability, "durability");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new TaskStoreException(
                    "cannot create the state directory " + directory + ": " + e, e);
        }
        StoreLock storeLock = StoreLock.take(directory);
        Path file = directory.resolve(DATABASE);
        Connection connection = null;
        try {
            checkHeader(file);
            connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            prepare(connection, file, durability);
            SqliteTaskStore store = new SqliteTaskStore(file, storeLock, connection);
            log.debug("task store {} open ({}, schema {})", file, durability, SCHEMA_VERSION);
            return store;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            storeLock.close();
            if (e instanceof TaskStoreException t) {
                throw t;
            }
            throw new TaskStoreException(
                    "cannot open the task store " + file + ": " + e.getMessage(), e);
        }
    }

    /** Refuses a file that is not SQLite at all before SQLite gets to touch it. */
    private static void checkHeader(Path file) {
        if (!Files.exists(file)) {
            return;
        }
        byte[] head = new byte[SQLITE_MAGIC.length];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new TaskStoreException("cannot read the task store " + file + ": " + e, e);
        }
        if (read == 0) {
            return; // an empty file is an empty database to SQLite: a crash before its first write
        }
        if (read < head.length || !Arrays.equals(head, SQLITE_MAGIC)) {
            throw new TaskStoreException(
                    "the task store "
                            + file
                            + " is not a SQLite database (corrupt, or another kind of file); left untouched."
                            + " Move it away to start with an empty store (the tasks it held are then forgotten)");
        }
    }

    private static void prepare(Connection connection, Path file, Durability durability)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 5000");
            int applicationId = intPragma(statement, "application_id", file);
            int version = intPragma(statement, "user_version", file);
            if (applicationId != Schema.APPLICATION_ID && applicationId != 0) {
                throw new TaskStoreException(
                        "the database "
                                + file
                                + " is not a taskexec task store"
                                + " (its application id is "
                                + Integer.toHexString(applicationId)
                                + "); left untouched");
            }
            if (version > Schema.CURRENT) {
                throw new TaskStoreException(
                        "the task store "
                                + file
                                + " was written by a newer taskexec"
                                + " (schema version "
                                + version
                                + "; this version reads up to "
                                + Schema.CURRENT
                                + "); left untouched. Open it with that version, or move it away to start afresh");
            }
            if (applicationId == 0 && hasTables(statement)) {
                throw new TaskStoreException(
                        "the database "
                                + file
                                + " is not a taskexec task store (it holds tables of another application); left untouched");
            }
            String check = quickCheck(statement, file);
            if (!check.equals("ok")) {
                throw new TaskStoreException(
                        "the task store "
                                + file
                                + " is corrupt (SQLite's integrity check: "
                                + check
                                + "); left untouched. Move it away to start with an empty store");
            }
            String mode = stringPragma(statement, "PRAGMA journal_mode = WAL", file);
            if (!mode.equalsIgnoreCase("wal")) {
                throw new TaskStoreException(
                        "the task store "
                                + file
                                + " cannot use write-ahead logging"
                                + " (journal mode stays "
                                + mode
                                + "; a file system without shared memory?)");
            }
            statement.execute("PRAGMA synchronous = " + durability.pragma());
            if (version < Schema.CURRENT) {
                Schema.migrate(connection, version);
                if (version > 0) {
                    log.info(
                            "task store {} migrated from schema {} to {}",
                            file,
                            version,
                            Schema.CURRENT);
                }
            }
        } catch (SQLException e) {
            throw new TaskStoreException(
                    "the task store "
                            + file
                            + " cannot be read as a SQLite database"
                            + " ("
                            + e.getMessage()
                            + "); left untouched",
                    e);
        }
    }

    private static boolean hasTables(Statement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM sqlite_schema")) {
            return rows.next() && rows.getInt(1) > 0;
        }
    }

    private static String quickCheck(Statement statement, Path file) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery("PRAGMA quick_check")) {
            while (rows.next() && problems.size() < 3) {
                problems.add(rows.getString(1));
            }
        }
        return problems.isEmpty() ? "no answer" : String.join("; ", problems);
    }

    private static int intPragma(Statement statement, String name, Path file) throws SQLException {
        try (ResultSet rows = statement.executeQuery("PRAGMA " + name)) {
            if (!rows.next()) {
                throw new TaskStoreException("the task store " + file + " answers no " + name);
            }
            return rows.getInt(1);
        }
    }

    private static String stringPragma(Statement statement, String sql, Path file)
            throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            if (!rows.next()) {
                throw new TaskStoreException(
                        "the task store " + file + " answers nothing to " + sql);
            }
            return rows.getString(1);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("closing a connection that failed to open", e);
        }
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    @Override
    public List<StoredTask> load() {
        lock.lock();
        try {
            ensureOpen();
            List<StoredTask> out = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rows =
                            statement.executeQuery(
                                    "SELECT id, spec, status, removed FROM task ORDER BY seq")) {
                while (rows.next()) {
                    String id = rows.getString(1);
                    Task task;
                    try {
                        task =
                                Task.parseFrom(rows.getBytes(2)).toBuilder()
                                        .setStatus(TaskStatus.parseFrom(rows.getBytes(3)))
                                        .build();
                    } catch (InvalidProtocolBufferException e) {
                        throw new TaskStoreException(
                                "the task store "
                                        + file
                                        + " holds an unreadable record"
                                        + " for task "
                                        + id
                                        + " ("
                                        + e.getMessage()
                                        + ")",
                                e);
                    }
                    out.add(new StoredTask(task, rows.getInt(4) != 0));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("reading the tasks", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void put(Task task) {
        Objects.requireNonNull(task, "task");
        if (task.getId().isEmpty()) {
            throw new IllegalArgumentException("task id must not be empty");
        }
        byte[] spec = task.toBuilder().clearStatus().build().toByteArray();
        lock.lock();
        try {
            ensureOpen();
            insert.setString(1, task.getId());
            insert.setBytes(2, spec);
            insert.setBytes(3, task.getStatus().toByteArray());
            insert.setInt(4, task.getStatus().getStateValue());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw failure("storing task " + task.getId(), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void putStatus(String taskId, TaskStatus status) {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(status, "status");
        byte[] bytes = status.toByteArray();
        lock.lock();
        try {
            ensureOpen();
            updateStatus.setBytes(1, bytes);
            updateStatus.setInt(2, status.getStateValue());
            updateStatus.setString(3, taskId);
            updateStatus.executeUpdate();
        } catch (SQLException e) {
            throw failure("storing the status of task " + taskId, e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void markRemoved(String taskId) {
        Objects.requireNonNull(taskId, "taskId");
        lock.lock();
        try {
            ensureOpen();
            markRemoved.setString(1, taskId);
            markRemoved.executeUpdate();
        } catch (SQLException e) {
            throw failure("marking task " + taskId + " removed", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void delete(String taskId) {
        Objects.requireNonNull(taskId, "taskId");
        lock.lock();
        try {
            ensureOpen();
            delete.setString(1, taskId);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw failure("deleting task " + taskId, e);
        } finally {
            lock.unlock();
        }
    }

    private TaskStoreException failure(String what, SQLException e) {
        return new TaskStoreException(what + " in " + file + " failed: " + e.getMessage(), e);
    }

    private void ensureOpen() {
        if (closed) {
            throw new TaskStoreException("the task store " + file + " is closed");
        }
    }

    /** Closes the database and releases the directory's lock. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                connection.close(); // also closes its prepared statements
            } catch (SQLException e) {
                log.warn("closing the task store {} failed", file, e);
            }
            storeLock.close();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "SQLite task store " + file;
    }
}
