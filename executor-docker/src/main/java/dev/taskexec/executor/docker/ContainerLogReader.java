package dev.taskexec.executor.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.LogContainerCmd;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UnsafeByteOperations;
import dev.taskexec.api.ControllerClosedException;
import dev.taskexec.api.LogPublisher;
import dev.taskexec.api.proto.LogContext;
import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.LogStream;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.support.LogSelection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and follows one container's logs for {@link dev.taskexec.api.ControllerLogs#logs}: waits
 * for a followed container to start, reads the past before following when the selection keeps
 * the last lines, and resumes after the last message read when the engine's stream ends while the
 * container runs or the connection to the engine is lost.
 *
 * <p>Separate from {@link DockerController} because following logs across engine outages is a
 * loop of its own (resume points, a wait for the engine to come back) that shares nothing with the
 * lifecycle but the container's name and the controller's open streams.
 */
final class ContainerLogReader {

    // Logged as the controller's, as before this class was cut out of it: operators set its level.
    private static final Logger LOG = LoggerFactory.getLogger(DockerController.class);

    /** How long a follower waits for the engine to answer again after its stream was lost. */
    static final Duration LOG_RESUME_WINDOW = Duration.ofSeconds(60);

    private final Engine engine;
    private final String name;
    private final ContainerInspector inspector;
    private final OpenStreams streams;

    /** The controller's task as it stands, for the messages' context. */
    private final Supplier<Task> task;

    /**
     * Whether the controller knows the container was started (it started it, or saw it exit): then
     * it has logs, and the inspect that would ask is a round trip saved.
     */
    private final BooleanSupplier knownStarted;

    ContainerLogReader(
            Engine engine,
            String name,
            ContainerInspector inspector,
            OpenStreams streams,
            Supplier<Task> task,
            BooleanSupplier knownStarted) {
        this.engine = engine;
        this.name = name;
        this.inspector = inspector;
        this.streams = streams;
        this.task = task;
        this.knownStarted = knownStarted;
    }

    /**
     * Publishes the logs {@code options} select.
     *
     * @see dev.taskexec.api.ControllerLogs#logs
     */
    void logs(LogPublisher publisher, LogSubscriptionOptions options) throws Exception {
        if (!awaitReadyForLogs(options.getFollow())) {
            return;
        }
        LogSelection selection = LogSelection.of(options);
        boolean stdout = selection.selects(LogStream.LOG_STREAM_STDOUT);
        boolean stderr = selection.selects(LogStream.LOG_STREAM_STDERR);
        if (!stdout && !stderr) {
            return;
        }
        Task current = task.get();
        LogContext context =
                LogContext.newBuilder()
                        .setTaskId(current.getId())
                        .setServiceId(current.getServiceId())
                        .setNodeId(current.getNodeId())
                        .build();
        LogSelection.Pass pass = selection.newPass();
        LogResume resume = new LogResume(selection.since().orElse(null));
        // The selection decides the tail, never the engine: Docker's tail counts the lines of every
        // stream before its since. A negative tail keeps the last of the past, so the past is read
        // to
        // its end first (a request without follow), and only then followed; otherwise one request
        // does.
        boolean past = selection.tail() < 0;
        boolean follow = options.getFollow();
        long lostAt = 0;
        while (true) {
            Throwable failure =
                    readLogs(
                            publisher,
                            context,
                            stdout,
                            stderr,
                            follow && !past,
                            resume,
                            past,
                            pass);
            if (failure == null) {
                if (past) {
                    pass.endOfPast(publisher);
                    past = false;
                    if (follow) {
                        continue;
                    }
                }
                if (!follow) {
                    return;
                }
                // the engine ended a followed stream: the container stopped, or a proxy closed the
                // connection cleanly; a running container means the latter, so read on
                InspectContainerResponse c = inspector.inspectOrNull("reading logs");
                if (c == null || !Boolean.TRUE.equals(c.getState().getRunning())) {
                    return;
                }
                LOG.debug(
                        "container {}: the log stream ended while it runs; resuming after {}",
                        name,
                        resume.last());
                continue;
            }
            streams.checkClosed();
            Exception translated = engine.translate("reading logs of container " + name, failure);
            if (translated instanceof InterruptedException) {
                throw translated;
            }
            if (translated instanceof EngineException ee && ee.statusCode() == 404) {
                if (!options.getFollow()) {
                    return; // no container, no logs, as awaitReadyForLogs says of a missing one
                }
                throw new ContainerGoneException(
                        "reading logs: container " + name + " does not exist");
            }
            if (!follow) {
                throw translated;
            }
            // the connection was lost (an engine restart with live-restore, a cut socket): the
            // messages are
            // still in the engine's log, so wait for it and read on from the last one read
            if (lostAt == 0) {
                lostAt = System.nanoTime();
            }
            follow = awaitEngineForLogs(translated, lostAt);
            LOG.debug(
                    "container {}: log stream lost ({}); resuming after {}",
                    name,
                    translated.getMessage(),
                    resume.last());
        }
    }

    /**
     * Waits (polling) until the engine answers about the container again, within
     * {@link #LOG_RESUME_WINDOW} of {@code lostAt}; whether the container still runs (so the
     * resumed read follows) or not (one last read of what remains).
     *
     * @throws Exception {@code lost} once the window passed, or {@link ContainerGoneException}
     */
    private boolean awaitEngineForLogs(Exception lost, long lostAt) throws Exception {
        long pause = 50;
        while (true) {
            streams.checkClosed();
            try {
                InspectContainerResponse c = inspector.inspectOrNull("reading logs");
                if (c == null) {
                    throw new ContainerGoneException(
                            "reading logs: container " + name + " was removed");
                }
                return Boolean.TRUE.equals(c.getState().getRunning());
            } catch (InterruptedException | ContainerGoneException | ControllerClosedException e) {
                throw e;
            } catch (Exception e) {
                if (System.nanoTime() - lostAt > LOG_RESUME_WINDOW.toNanos()) {
                    lost.addSuppressed(e);
                    throw lost;
                }
            }
            Thread.sleep(pause); // polling an engine that is away: there is nothing to wait on
            pause = Math.min(1000, pause * 2);
        }
    }

    /**
     * One log request from where {@code resume} stands; returns how the stream ended: null when the
     * engine ended it, else the failure.
     */
    private Throwable readLogs(
            LogPublisher publisher,
            LogContext context,
            boolean stdout,
            boolean stderr,
            boolean follow,
            LogResume resume,
            boolean past,
            LogSelection.Pass pass)
            throws Exception {
        resume.begin();
        LogContainerCmd cmd =
                engine.client()
                        .logContainerCmd(name)
                        .withStdOut(stdout)
                        .withStdErr(stderr)
                        .withTimestamps(true)
                        .withFollowStream(follow)
                        .withTailAll();
        Instant from = resume.from();
        if (from != null) {
            // the engine takes whole seconds and includes the bound: the exact since is the
            // selection's
            cmd.withSince((int) Math.min(from.getEpochSecond(), Integer.MAX_VALUE));
        }
        LogDecoder decoder =
                new LogDecoder(
                        (stream, timestamp, data) -> {
                            if (resume.take(timestamp)) {
                                resume.read(timestamp);
                                LogMessage message =
                                        LogMessage.newBuilder()
                                                .setContext(context)
                                                .setTimestamp(
                                                        Timestamp.newBuilder()
                                                                .setSeconds(
                                                                        timestamp.getEpochSecond())
                                                                .setNanos(timestamp.getNano()))
                                                .setStream(stream)
                                                .setData(UnsafeByteOperations.unsafeWrap(data))
                                                .build();
                                if (past) {
                                    pass.past(message, publisher);
                                } else {
                                    pass.live(message, publisher);
                                }
                            }
                        });
        FrameQueue frames = streams.track(new FrameQueue());
        List<FrameQueue.Item> batch = new ArrayList<>(FrameQueue.BATCH);
        try {
            try {
                engine.run("reading logs of container " + name, () -> cmd.exec(frames));
            } catch (InterruptedException | ControllerClosedException e) {
                throw e;
            } catch (Exception e) {
                return e; // the engine is unreachable, or refused: the caller decides whether to
                // wait and resume
            }
            while (true) {
                frames.takeBatch(batch);
                for (FrameQueue.Item item : batch) {
                    if (item instanceof FrameQueue.Chunk chunk) {
                        decoder.feed(chunk.type(), chunk.bytes(), chunk.bytes().length);
                    } else if (item instanceof FrameQueue.End end) {
                        if (end.failure() == null) {
                            decoder.finish();
                        }
                        // after a failure, a partial last line is dropped: the resumed read
                        // delivers it whole
                        return end.failure();
                    }
                }
                batch.clear();
            }
        } finally {
            frames.close();
            streams.untrack(frames);
        }
    }

    /**
     * With {@code follow}, waits until the container has been started (its logs are empty before);
     * without it, reports whether there can be any logs at all.
     */
    private boolean awaitReadyForLogs(boolean follow) throws Exception {
        if (knownStarted.getAsBoolean()) {
            return true; // it has run, so it has logs: no need to ask the engine
        }
        InspectContainerResponse c = inspector.inspectOrNull("reading logs");
        if (c == null) {
            if (follow) {
                throw new ContainerGoneException(
                        "reading logs: container " + name + " does not exist");
            }
            return false;
        }
        if (!"created".equals(c.getState().getStatus())) {
            return true;
        }
        if (!follow) {
            return false;
        }
        ContainerEvents events = streams.track(ContainerEvents.open(engine, name));
        try {
            while (true) {
                String action = events.next();
                if ("start".equals(action) || "die".equals(action)) {
                    return true;
                }
                if ("destroy".equals(action)) {
                    throw new ContainerGoneException(
                            "reading logs: container " + name + " was removed before it started");
                }
            }
        } finally {
            streams.untrack(events);
        }
    }
}
