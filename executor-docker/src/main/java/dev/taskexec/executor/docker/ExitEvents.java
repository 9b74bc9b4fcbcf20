package dev.taskexec.executor.docker;

import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's {@code die} events for the containers of one executor, from one event stream that
 * all its controllers share: how a controller learns that its container exited, and with which
 * code, as soon as the engine knows.
 *
 * <p><b>Why a stream.</b> The engine publishes {@code die} while it is still handling the exit
 * (releasing the container's network and mounts), and until it is done it holds back the answer of
 * every inspect and wait of that container: 50 to 100 ms for a container that exits at once,
 * measured on Engine 20.10. The Engine's own swarm agent waits the same way; the event does not.
 *
 * <p><b>Only ever a shortcut.</b> Controllers go on asking the engine (wait, inspect) as they
 * would without it and take whichever answer comes first. A stream that is down, late or that
 * misses an event costs time, never a wrong answer. The stream is opened by the first
 * {@link #watch}, on a connection of its own outside the controllers' pool (so it never holds a
 * connection an {@code await} needs), filtered on the executor's owner label and on {@code die}.
 * When it ends or fails it is opened again after a pause (100 ms, doubling to 5 s), from the
 * engine's time of the last event seen, so that an exit during the gap still arrives when the
 * engine still buffers it. The first opening asks for no past events: its watchers registered
 * before their containers started, which takes the engine far longer than answering a
 * subscription.
 *
 * <p>Thread-safe. The stream runs on one virtual thread, ended by {@link #close()}.
 */
final class ExitEvents implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExitEvents.class);

    private static final Duration FIRST_PAUSE = Duration.ofMillis(100);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);

    private final DockerOptions options;
    private final Map<String, CompletableFuture<Integer>> watched = new ConcurrentHashMap<>();

    /** Guarded by this. */
    private Thread reader;

    /** Guarded by this. */
    private boolean closed;

    /** The engine's time of the last event read, as its {@code since} parameter; null: none yet. */
    private volatile String since;

    ExitEvents(DockerOptions options) {
        this.options = options;
    }

    /**
     * The exit code of the container with this id, once the engine says it died. Register before
     * starting the container; an exit the stream missed never completes the future, so always
     * combine it with an answer from the engine. The same future is returned until {@link
     * #unwatch}.
     *
     * @param containerId the container's full id
     */
    CompletableFuture<Integer> watch(String containerId) {
        CompletableFuture<Integer> exit =
                watched.computeIfAbsent(containerId, id -> new CompletableFuture<>());
        synchronized (this) {
            if (reader == null && !closed) {
                reader = Thread.ofVirtual().name("taskexec-docker-exit-events").start(this::read);
            }
        }
        return exit;
    }

    /** Forgets a container; its future is left as it is. */
    void unwatch(String containerId) {
        watched.remove(containerId);
    }

    /** How many containers are watched; for tests. */
    int watchedCount() {
        return watched.size();
    }

    private void read() {
        Duration pause = FIRST_PAUSE;
        try (Engine engine = new Engine(options, 1)) {
            while (!Thread.currentThread().isInterrupted()) {
                StreamCall<Event> call = new StreamCall<>(this::onEvent);
                try {
                    String from = since;
                    engine.run(
                            "watching container exits",
                            () -> {
                                var cmd =
                                        engine.client()
                                                .eventsCmd()
                                                .withEventTypeFilter(EventType.CONTAINER)
                                                .withEventFilter("die")
                                                .withLabelFilter(
                                                        Map.of(
                                                                ContainerPlan.LABEL_OWNER,
                                                                options.owner()));
                                (from == null ? cmd : cmd.withSince(from)).exec(call);
                            });
                    call.awaitStarted();
                    pause = FIRST_PAUSE; // the engine answered: a later end starts the pauses over
                    call.await();
                    LOG.debug("the engine ended the container event stream; opening it again");
                } catch (InterruptedException e) {
                    return;
                } catch (Throwable t) {
                    LOG.debug("container event stream failed ({}); opening it again", t.toString());
                } finally {
                    call.close();
                }
                Thread.sleep(pause);
                pause = java.util.Collections.min(List.of(pause.multipliedBy(2), LONGEST_PAUSE));
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    private void onEvent(Event event) {
        Long nanos = event.getTimeNano();
        if (nanos != null) {
            since = (nanos / 1_000_000_000L) + "." + String.format("%09d", nanos % 1_000_000_000L);
        } else if (event.getTime() != null) {
            since = String.valueOf(event.getTime());
        }
        String action = ContainerEvents.action(event);
        String id =
                event.getId() != null
                        ? event.getId()
                        : event.getActor() == null ? null : event.getActor().getId();
        if (!"die".equals(action) || id == null) {
            return;
        }
        CompletableFuture<Integer> exit = watched.get(id);
        if (exit == null) {
            return;
        }
        Map<String, String> attributes =
                event.getActor() == null ? null : event.getActor().getAttributes();
        String code = attributes == null ? null : attributes.get("exitCode");
        try {
            exit.complete(Integer.parseInt(code));
        } catch (NumberFormatException e) {
            LOG.debug("container {} died with an exit code that is no number: {}", id, code);
        }
    }

    /** Ends the stream. Idempotent; futures not completed yet stay so. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = reader;
        }
        if (t != null) {
            t.interrupt();
        }
    }
}
