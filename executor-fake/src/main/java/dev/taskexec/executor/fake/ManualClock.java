package dev.taskexec.executor.fake;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.ref.WeakReference;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apiguardian.api.API;

/**
 * A clock that moves only when told to, so that tests of timed behaviour run instantly and
 * deterministically. Given to {@link FakeExecutor.Builder#clock}, it drives not only timestamps
 * but every wait of that executor's controllers: latency, {@code delay}, a workload's run time
 * ({@code after=}) and a shutdown's grace period all end when the clock has been
 * {@linkplain #advance advanced} past them, and never by themselves. Waiting stays interruptible
 * and ends when the controller is closed, as with real time.
 *
 * <p>Thread-safe. The zone is UTC; {@link #withZone} gives a view in another zone that moves with
 * this clock.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ManualClock extends Clock {

    private final Instant start;
    private final AtomicLong elapsedNanos = new AtomicLong();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger timedWaits =
            new java.util.concurrent.atomic.AtomicInteger();

    /** A clock showing {@code start} until advanced. */
    public ManualClock(Instant start) {
        this.start = Objects.requireNonNull(start, "start");
    }

    /** A clock showing the current time until advanced. */
    public ManualClock() {
        this(Instant.now());
    }

    /**
     * Moves the clock forward and wakes every wait of the executors using it, which then end if
     * their time has come.
     *
     * @throws IllegalArgumentException if {@code by} is negative
     */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("a clock cannot go back: " + by);
        }
        elapsedNanos.addAndGet(by.toNanos());
        for (Runnable listener : listeners) {
            listener.run();
        }
    }

    /** How far the clock has been advanced in total. */
    public Duration elapsed() {
        return Duration.ofNanos(elapsedNanos.get());
    }

    @Override
    public Instant instant() {
        return start.plusNanos(elapsedNanos.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        ManualClock self = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId other) {
                return self.withZone(other);
            }

            @Override
            public Instant instant() {
                return self.instant();
            }
        };
    }

    /**
     * How many waits with a deadline (a {@code delay}, a latency, a workload's run time awaited, a
     * grace period) are parked on this clock now, across the executors that use it. A call counts
     * here only once its deadline is fixed, so a test that means to release a call by advancing the
     * clock waits for this first: advanced any earlier, the call would count its deadline from the
     * advanced time and wait on.
     */
    public int timedWaits() {
        return timedWaits.get();
    }

    /** One more ({@code +1}) or one fewer ({@code -1}) wait parked with a deadline. */
    void timedWait(int delta) {
        timedWaits.addAndGet(delta);
    }

    /** The monotonic reading the executor's waits use: nanoseconds advanced so far. */
    long nanos() {
        return elapsedNanos.get();
    }

    /**
     * Wakes the executor's timed waits after every advance. The clock holds the executor weakly,
     * so that a clock shared by many tests does not keep their executors alive.
     */
    void register(FakeExecutor executor) {
        WeakReference<FakeExecutor> ref = new WeakReference<>(executor);
        listeners.add(
                new Runnable() {
                    @Override
                    public void run() {
                        FakeExecutor e = ref.get();
                        if (e == null) {
                            listeners.remove(this);
                        } else {
                            e.timeAdvanced();
                        }
                    }
                });
    }

    @Override
    public String toString() {
        return "ManualClock[" + instant() + "]";
    }
}
