package dev.taskexec.store.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The versions of the store's schema and how to move a file from one to the next.
 *
 * <p>The version is SQLite's {@code user_version}; {@code application_id} marks the file as a
 * taskexec store. A file at an older version is migrated step by step, each step in one
 * transaction with its version bump, so a crash mid-migration leaves the file at a whole
 * version. A file at a newer version than {@link #CURRENT} is refused and left untouched: an older
 * taskexec cannot know what the newer one stored. A change to the schema adds a step to
 * {@link #STEPS} and never edits an old one.
 */
final class Schema {

    /** "TSKX": SQLite's application_id of a taskexec task store. */
    static final int APPLICATION_ID = 0x54534B58;

    /** Step i takes a file from version i to version i + 1. */
    private static final List<List<String>> STEPS =
            List.of(
                    // 0 -> 1: tasks, in the order first stored. spec is the Task without its
                    // status;
                    // state is the status's state, kept apart for queries and for a quick look with
                    // sqlite3.
                    List.of(
                            """
                    CREATE TABLE task (
                        seq     INTEGER PRIMARY KEY AUTOINCREMENT,
                        id      TEXT    NOT NULL UNIQUE,
                        spec    BLOB    NOT NULL,
                        status  BLOB    NOT NULL,
                        state   INTEGER NOT NULL,
                        removed INTEGER NOT NULL DEFAULT 0
                    )""",
                            "PRAGMA application_id = " + APPLICATION_ID));

    /** The version this code reads and writes. */
    static final int CURRENT = STEPS.size();

    private Schema() {}

    /** Brings a file at {@code version} (at most {@link #CURRENT}) to {@link #CURRENT}. */
    static void migrate(Connection connection, int version) throws SQLException {
        for (int v = version; v < CURRENT; v++) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                for (String sql : STEPS.get(v)) {
                    statement.execute(sql);
                }
                statement.execute("PRAGMA user_version = " + (v + 1));
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }
}
