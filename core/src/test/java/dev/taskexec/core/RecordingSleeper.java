package dev.taskexec.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A {@link Sleeper} that records every requested delay. It returns at once, or, when made
 * {@link #blocking()}, parks until interrupted, so a test sees the backoff a runner asked for
 * without any real time passing.
 */
final class RecordingSleeper implements Sleeper {

    private final List<Duration> delays = new CopyOnWriteArrayList<>();
    private final boolean block;
    private final CountDownLatch never = new CountDownLatch(1);

    private RecordingSleeper(boolean block) {
        this.block = block;
    }

    static RecordingSleeper immediate() {
        return new RecordingSleeper(false);
    }

    static RecordingSleeper blocking() {
        return new RecordingSleeper(true);
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        delays.add(duration);
        if (block) {
            never.await(); // only an interrupt ends it
        }
    }

    List<Duration> delays() {
        return List.copyOf(delays);
    }
}
