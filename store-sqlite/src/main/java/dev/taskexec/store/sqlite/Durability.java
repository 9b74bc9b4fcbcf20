package dev.taskexec.store.sqlite;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * When a write of a {@link SqliteTaskStore} reaches the disk: its fsync policy. Both keep the
 * store consistent (SQLite's write-ahead log never leaves a half-written record); they differ in
 * what the last writes survive.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public enum Durability {

    /**
     * Every write is fsynced before the call returns ({@code synchronous=FULL} in WAL mode): a
     * status reported has survived a crash of the process and a loss of power. The default.
     */
    SYNC_EVERY_WRITE("FULL"),

    /**
     * Writes are fsynced at checkpoints only ({@code synchronous=NORMAL} in WAL mode): a write
     * that returned survives a crash of the process (it is in the operating system's cache), but
     * the last writes before a power loss or kernel crash may be lost, taking the store back to an
     * earlier consistent state. Several times faster per write.
     */
    SYNC_AT_CHECKPOINTS("NORMAL");

    private final String pragma;

    Durability(String pragma) {
        this.pragma = pragma;
    }

    /** The value of SQLite's {@code synchronous} pragma. */
    String pragma() {
        return pragma;
    }
}
