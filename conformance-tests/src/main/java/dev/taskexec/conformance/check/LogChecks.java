package dev.taskexec.conformance.check;

import static dev.taskexec.api.proto.TaskState.COMPLETE;
import static dev.taskexec.api.proto.TaskState.FAILED;

import com.google.protobuf.Timestamp;
import dev.taskexec.api.ControllerLogs;
import dev.taskexec.api.LogPublisher;
import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.LogStream;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.conformance.Capability;
import dev.taskexec.conformance.Rules;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

/** The LG rules: what a workload prints reaches the log subscriber, completely and correctly. */
final class LogChecks {

    private static final List<String> OUT = List.of("out-1 first", "out-2 second", "out-3 third");
    private static final List<String> ERR = List.of("err-1 first", "err-2 second");

    private LogChecks() {}

    static List<RuleCheck> checks() {
        return List.of(
                new RuleCheck(Rules.LG_1, LogChecks::bothStreams),
                new RuleCheck(Rules.LG_2, LogChecks::lastLinesKept),
                new RuleCheck(Rules.LG_3, LogChecks::messageContext),
                new RuleCheck(Rules.LG_4, LogChecks::streamSelection),
                new RuleCheck(Rules.LG_5, LogChecks::negativeTail),
                new RuleCheck(Rules.LG_6, LogChecks::followDelivers),
                new RuleCheck(Rules.LG_7, LogChecks::failingPublisher),
                new RuleCheck(Rules.LG_8, LogChecks::sinceStrictlyAfter),
                new RuleCheck(Rules.LG_9, LogChecks::positiveTail),
                new RuleCheck(Rules.LG_10, LogChecks::followNoneOfAFinishedTask));
    }

    /** The controller's logs, failing the rule when the backend declares LOGS without implementing them. */
    static ControllerLogs logsOf(Env env, TaskDriver task) {
        if (task.controller() instanceof ControllerLogs logs) {
            return logs;
        }
        throw env.violation(
                Env.claimed(Capability.LOGS) + " but its controller is not a ControllerLogs");
    }

    private static void bothStreams(Env env) throws Exception {
        TaskDriver task = finished(env, OUT, ERR, 0);
        List<LogMessage> messages = read(env, task, LogSubscriptionOptions.getDefaultInstance());
        checkLines(env, messages, LogStream.LOG_STREAM_STDOUT, OUT);
        checkLines(env, messages, LogStream.LOG_STREAM_STDERR, ERR);
        env.check(
                messages.size() == OUT.size() + ERR.size(),
                "expected "
                        + (OUT.size() + ERR.size())
                        + " messages, got "
                        + messages.size()
                        + ": "
                        + lines(messages));
        task.removeAndClose();
    }

    private static void lastLinesKept(Env env) throws Exception {
        List<String> many =
                IntStream.rangeClosed(1, 200).mapToObj(i -> String.format("line-%03d", i)).toList();
        TaskDriver task = finished(env, many, List.of(), 0);
        List<LogMessage> messages = read(env, task, LogSubscriptionOptions.getDefaultInstance());
        checkLines(env, messages, LogStream.LOG_STREAM_STDOUT, many);
        task.removeAndClose();
    }

    private static void messageContext(Env env) throws Exception {
        TaskDriver task = finished(env, OUT, ERR, 0);
        List<LogMessage> messages = read(env, task, LogSubscriptionOptions.getDefaultInstance());
        env.check(!messages.isEmpty(), "no log messages");
        for (LogMessage message : messages) {
            env.check(
                    message.hasTimestamp() && message.getTimestamp().getSeconds() > 0,
                    "a log message has no timestamp: " + text(message));
            env.check(
                    message.getContext().getTaskId().equals(task.task().getId())
                            && message.getContext()
                                    .getServiceId()
                                    .equals(task.task().getServiceId())
                            && message.getContext().getNodeId().equals(task.task().getNodeId()),
                    "a log message's context "
                            + message.getContext().toString().replace('\n', ' ')
                            + " does not name the task "
                            + task.task().getId()
                            + ", service "
                            + task.task().getServiceId()
                            + " and node "
                            + task.task().getNodeId());
        }
        task.removeAndClose();
    }

    private static void streamSelection(Env env) throws Exception {
        TaskDriver task = finished(env, OUT, ERR, 0);
        List<LogMessage> messages =
                read(
                        env,
                        task,
                        LogSubscriptionOptions.newBuilder()
                                .addStreams(LogStream.LOG_STREAM_STDERR)
                                .build());
        env.check(
                messages.stream().allMatch(m -> m.getStream() == LogStream.LOG_STREAM_STDERR),
                "streams=[STDERR] also returned other streams: " + lines(messages));
        checkLines(env, messages, LogStream.LOG_STREAM_STDERR, ERR);
        task.removeAndClose();
    }

    private static void negativeTail(Env env) throws Exception {
        List<String> five = List.of("tail-1", "tail-2", "tail-3", "tail-4", "tail-5");
        TaskDriver task = finished(env, five, List.of(), 0);
        List<LogMessage> messages =
                read(env, task, LogSubscriptionOptions.newBuilder().setTail(-3).build());
        env.check(
                lines(messages).equals(List.of("tail-4", "tail-5")),
                "tail=-3 must return the last 2 lines [tail-4, tail-5] (swarmkit counts -n-1 from the end), got "
                        + lines(messages));
        task.removeAndClose();
    }

    private static void followDelivers(Env env) throws Exception {
        TaskDriver task = finished(env, OUT, ERR, 0);
        ControllerLogs logs = logsOf(env, task);
        List<LogMessage> received = Collections.synchronizedList(new ArrayList<>());
        LogSubscriptionOptions follow = LogSubscriptionOptions.newBuilder().setFollow(true).build();
        InFlight<Void> call =
                InFlight.start(
                        "ControllerLogs.logs(follow)", () -> logs.logs(received::add, follow));
        int expected = OUT.size() + ERR.size();
        Poll.until(
                Duration.ofSeconds(5),
                () -> received.size() >= expected || call.isDone(),
                done -> done);
        if (!call.isDone()) {
            call.interrupt();
        }
        CallResult<Void> ended = Calls.finish(env.rule(), call, CancellationChecks.PROMPTLY);
        List<LogMessage> copy;
        synchronized (received) {
            copy = List.copyOf(received);
        }
        env.check(
                ended.returned() || Causes.isInterruption(ended.thrown()),
                "logs with follow threw " + Causes.describe(ended.thrown()));
        checkLines(env, copy, LogStream.LOG_STREAM_STDOUT, OUT);
        checkLines(env, copy, LogStream.LOG_STREAM_STDERR, ERR);
        task.removeAndClose();
    }

    private static void failingPublisher(Env env) throws Exception {
        TaskDriver task = env.resolved(env.workloads().print(OUT, ERR, 3)).startRunning();
        ControllerLogs logs = logsOf(env, task);
        LogPublisher failing =
                message -> {
                    throw new IllegalStateException(
                            "publisher failure injected by the conformance kit");
                };
        LogSubscriptionOptions follow = LogSubscriptionOptions.newBuilder().setFollow(true).build();
        InFlight<Void> call =
                InFlight.start(
                        "ControllerLogs.logs(failing publisher)", () -> logs.logs(failing, follow));
        TaskState end = task.settle();
        env.check(
                end == FAILED && task.status().getContainer().getExitCode() == 3,
                "with a failing log publisher the task ended "
                        + end
                        + " with exit code "
                        + task.status().getContainer().getExitCode()
                        + " instead of FAILED with 3");
        if (!call.isDone()) {
            call.interrupt();
        }
        Calls.finish(env.rule(), call, CancellationChecks.PROMPTLY);
        List<LogMessage> messages = read(env, task, LogSubscriptionOptions.getDefaultInstance());
        checkLines(env, messages, LogStream.LOG_STREAM_STDOUT, OUT);
        checkLines(env, messages, LogStream.LOG_STREAM_STDERR, ERR);
        task.removeAndClose();
    }

    private static void sinceStrictlyAfter(Env env) throws Exception {
        List<String> six = IntStream.rangeClosed(1, 6).mapToObj(i -> "since-" + i).toList();
        TaskDriver task = finished(env, six, List.of(), 0);
        List<LogMessage> all = read(env, task, LogSubscriptionOptions.getDefaultInstance());
        checkLines(env, all, LogStream.LOG_STREAM_STDOUT, six);
        for (LogMessage message : all) {
            env.check(
                    message.hasTimestamp(),
                    "a log message has no timestamp, so since cannot select it: " + text(message));
        }
        int k = sinceIndex(all);
        Timestamp since = all.get(k).getTimestamp();
        List<String> expected =
                lines(all.stream().filter(m -> after(m.getTimestamp(), since)).toList());
        List<LogMessage> got =
                read(env, task, LogSubscriptionOptions.newBuilder().setSince(since).build());
        env.check(
                lines(got).equals(expected),
                "since="
                        + instant(since)
                        + " (the timestamp of message "
                        + (k + 1)
                        + ", '"
                        + text(all.get(k))
                        + "') must return exactly the messages timestamped strictly after it, "
                        + expected
                        + ", got "
                        + lines(got)
                        + "; timestamps "
                        + timestamps(all));
        Timestamp latest =
                all.stream()
                        .map(LogMessage::getTimestamp)
                        .max(Comparator.comparing(LogChecks::instant))
                        .orElseThrow();
        List<LogMessage> none =
                read(env, task, LogSubscriptionOptions.newBuilder().setSince(latest).build());
        env.check(
                none.isEmpty(),
                "since="
                        + instant(latest)
                        + " (the latest timestamp) must return nothing, got "
                        + lines(none));
        task.removeAndClose();
    }

    /**
     * The message whose timestamp the since check uses: one nearest the middle that a strictly later
     * message follows, so that the answer is neither everything nor nothing. When every timestamp is
     * equal there is none, and the first message is used (nothing is strictly after it).
     */
    private static int sinceIndex(List<LogMessage> messages) {
        int middle = messages.size() / 2 - 1;
        int best = -1;
        for (int i = 0; i + 1 < messages.size(); i++) {
            boolean later =
                    instant(messages.get(i + 1).getTimestamp())
                            .isAfter(instant(messages.get(i).getTimestamp()));
            if (later && (best < 0 || Math.abs(i - middle) < Math.abs(best - middle))) {
                best = i;
            }
        }
        return Math.max(best, 0);
    }

    private static void positiveTail(Env env) throws Exception {
        List<String> five = IntStream.rangeClosed(1, 5).mapToObj(i -> "skip-" + i).toList();
        TaskDriver task = finished(env, five, List.of(), 0);
        List<LogMessage> skipped =
                read(env, task, LogSubscriptionOptions.newBuilder().setTail(2).build());
        env.check(
                lines(skipped).equals(five.subList(2, 5)),
                "tail=2 must skip the first 2 lines and return "
                        + five.subList(2, 5)
                        + " (swarmkit's positive tail skips, unlike Docker's), got "
                        + lines(skipped));
        for (long tail : new long[] {5, 9}) {
            List<LogMessage> none =
                    read(env, task, LogSubscriptionOptions.newBuilder().setTail(tail).build());
            env.check(
                    none.isEmpty(),
                    "tail="
                            + tail
                            + " skips all 5 lines and must return nothing, got "
                            + lines(none));
        }
        task.removeAndClose();
    }

    private static void followNoneOfAFinishedTask(Env env) throws Exception {
        TaskDriver task = finished(env, OUT, ERR, 0);
        List<LogMessage> all = read(env, task, LogSubscriptionOptions.getDefaultInstance());
        env.check(
                !all.isEmpty(),
                "the finished workload has no log messages, so tail=-1 cannot be checked");
        List<LogMessage> got =
                read(
                        env,
                        task,
                        LogSubscriptionOptions.newBuilder().setTail(-1).setFollow(true).build());
        env.check(
                got.isEmpty(),
                "tail=-1 with follow on a finished task must publish none of its "
                        + all.size()
                        + " messages (swarmkit's -1 keeps none; Docker's means all), got "
                        + lines(got));
        task.removeAndClose();
    }

    private static boolean after(Timestamp timestamp, Timestamp since) {
        return instant(timestamp).isAfter(instant(since));
    }

    private static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    private static List<Instant> timestamps(List<LogMessage> messages) {
        return messages.stream().map(m -> instant(m.getTimestamp())).toList();
    }

    /** A task that printed the lines and exited, settled and awaited. */
    private static TaskDriver finished(Env env, List<String> out, List<String> err, int code)
            throws Exception {
        env.requireCapability(Capability.LOGS);
        TaskDriver task = env.resolved(env.workloads().print(out, err, code));
        TaskState end = task.settle();
        env.check(
                end == (code == 0 ? COMPLETE : FAILED),
                "the printing workload ended " + end + " (err '" + task.status().getErr() + "')");
        logsOf(env, task);
        return task;
    }

    /**
     * Reads the logs, without follow or (on a finished task) with it; either way the call must return
     * on its own within the call deadline.
     */
    private static List<LogMessage> read(Env env, TaskDriver task, LogSubscriptionOptions options)
            throws Exception {
        ControllerLogs logs = logsOf(env, task);
        List<LogMessage> received = Collections.synchronizedList(new ArrayList<>());
        InFlight<Void> call =
                InFlight.start(
                        "ControllerLogs.logs(" + options.toString().replace('\n', ' ') + ")",
                        () -> logs.logs(received::add, options));
        CallResult<Void> result;
        try {
            result = call.await(env.callTimeout());
        } catch (TimeoutException e) {
            call.interrupt();
            throw env.violation(
                    readCall(options)
                            + " did not return within "
                            + Calls.seconds(env.callTimeout())
                            + (options.getFollow()
                                    ? " (the task's output has ended, so nothing is left to follow)"
                                    : " (it must return after the last buffered message)"));
        }
        env.check(
                result.returned(),
                readCall(options) + " threw " + Causes.describe(result.thrown()));
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    private static String readCall(LogSubscriptionOptions options) {
        return options.getFollow() ? "logs with follow on a finished task" : "logs without follow";
    }

    private static void checkLines(
            Env env, List<LogMessage> messages, LogStream stream, List<String> expected) {
        List<String> got = lines(messages.stream().filter(m -> m.getStream() == stream).toList());
        if (!got.equals(expected)) {
            List<String> elsewhere = new ArrayList<>(expected);
            elsewhere.removeAll(got);
            List<String> onOtherStreams =
                    lines(messages.stream().filter(m -> m.getStream() != stream).toList());
            elsewhere.retainAll(onOtherStreams);
            throw env.violation(
                    stream
                            + " should hold "
                            + summary(expected)
                            + " but held "
                            + summary(got)
                            + (elsewhere.isEmpty()
                                    ? ""
                                    : "; tagged with another stream: " + summary(elsewhere)));
        }
    }

    private static String summary(List<String> lines) {
        if (lines.size() <= 8) {
            return lines.toString();
        }
        return lines.size()
                + " lines "
                + lines.subList(0, 3)
                + " ... "
                + lines.subList(lines.size() - 3, lines.size());
    }

    /** The lines of the messages, each without its line ending. */
    static List<String> lines(List<LogMessage> messages) {
        return messages.stream().map(LogChecks::text).toList();
    }

    private static String text(LogMessage message) {
        String text = message.getData().toString(StandardCharsets.UTF_8);
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }
}
