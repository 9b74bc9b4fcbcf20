package dev.taskexec.executor.docker;

import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The engine's events for one container, read one action at a time ({@code start}, {@code die},
 * {@code destroy}, {@code health_status: healthy}...).
 *
 * <p>The subscription replays the events the engine still buffers for the container before the live
 * ones, so an event that happened between an inspect and the subscription is not missed. Closing
 * it releases the connection. Not for concurrent readers.
 */
final class ContainerEvents implements AutoCloseable {

    private static final Object END = new Object();

    private final Engine engine;
    private final String container;
    private final LinkedBlockingQueue<Object> actions = new LinkedBlockingQueue<>();
    private final StreamCall<Event> call;

    private ContainerEvents(Engine engine, String container) {
        this.engine = engine;
        this.container = container;
        this.call =
                new StreamCall<>(
                        event -> {
                            String action = action(event);
                            if (action != null) {
                                actions.add(action);
                            }
                        });
        call.done().whenComplete((ok, failure) -> actions.add(END));
    }

    /** An event's action ({@code die}...), from the field older engines leave empty; or null. */
    static String action(Event event) {
        return event.getAction() != null ? event.getAction() : event.getStatus();
    }

    /**
     * Subscribes and waits until the engine answered.
     *
     * @throws InterruptedException if interrupted (nothing is left open)
     * @throws Exception translated as by {@link Engine#translate}, if the engine refuses or is unreachable
     */
    static ContainerEvents open(Engine engine, String container) throws Exception {
        ContainerEvents events = new ContainerEvents(engine, container);
        try {
            engine.run(
                    "watching events of container " + container,
                    () ->
                            engine.client()
                                    .eventsCmd()
                                    .withContainerFilter(container)
                                    .withEventTypeFilter(EventType.CONTAINER)
                                    .withSince("0")
                                    .exec(events.call));
            events.call.awaitStarted();
            return events;
        } catch (Exception | Error e) {
            events.close();
            throw e;
        }
    }

    /**
     * The next event's action, waiting for it.
     *
     * @throws InterruptedException if interrupted
     * @throws Exception if the stream ended (the engine restarted or went away: temporary)
     */
    String next() throws Exception {
        Object item = actions.take();
        if (item != END) {
            return (String) item;
        }
        actions.add(END);
        try {
            call.await();
        } catch (Throwable t) {
            throw engine.translate("watching events of container " + container, t);
        }
        throw engine.translate(
                "watching events of container " + container,
                new java.io.EOFException("the engine ended the event stream"));
    }

    @Override
    public void close() {
        call.close();
    }
}
