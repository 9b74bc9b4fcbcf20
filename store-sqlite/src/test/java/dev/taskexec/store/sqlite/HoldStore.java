package dev.taskexec.store.sqlite;

import java.io.IOException;
import java.nio.file.Path;

/** A process that holds a store open until its stdin closes or it is killed: the "other live process". */
public final class HoldStore {

    private HoldStore() {}

    public static void main(String[] args) throws IOException {
        try (SqliteTaskStore store = SqliteTaskStore.open(Path.of(args[0]))) {
            System.out.println("open " + store.file());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to let go
            }
        }
    }
}
