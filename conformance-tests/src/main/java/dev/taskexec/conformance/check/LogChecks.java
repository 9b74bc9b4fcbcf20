package dev.taskexec.conformance.check;

import static dev.taskexec.api.proto.TaskState.COMPLETE;
import static dev.taskexec.api.proto.TaskState.FAILED;

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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

/** The LG rules: what a workload prints reaches the log subscriber, completely and correctly. */
final class LogChecks {

    private static final List<String> OUT = List.of("out-1 first", "out-2 second", "out-3 third");
    private static final List<String> ERR = List.of("err-1 first", "err-2 second");

    private LogChecks() {
    }

    static List<RuleCheck> checks() {
        return List.of(
                new RuleCheck(Rules.LG_1, LogChecks::bothStreams),
                new RuleCheck(Rules.LG_2, LogChecks::lastLinesKept),
                new RuleCheck(Rules.LG_3, LogChecks::messageContext),
                new RuleCheck(Rules.LG_4, LogChecks::streamSelection),
                new RuleCheck(Rules.LG_5, LogChecks::negativeTail),
                new RuleCheck(Rules.LG_6, LogChecks::followDelivers),
                new RuleCheck(Rules.LG_7, LogChecks::failingPublisher));
    }

    /** The controller's logs, failing the rule when the backend declares LOGS without implementing them. */
    static ControllerLogs logsOf(Env env, TaskDriver task) {
        if (task.controller() instanceof ControllerLogs logs) {
            return logs;
        }
        throw env.violation("the backend declares LOGS but its controller is not a ControllerLogs");
    }

    private static void bothStreams(Env env) throws Exception {
        TaskDriver task = finished(env, OUT, ERR, 0);
        List<LogMessage> messages = read(env, task, LogSubscriptionOptions.getDefaultInstance());
        checkLines(env, messages, LogStream.LOG_STREAM_STDOUT, OUT);
        checkLines(env, messages, LogStream.LOG_STREAM_STDERR, ERR);
        env.check(messages.size() == OUT.size() + ERR.size(), "expected " + (OUT.size() + ERR.size())
                + " messages, got " + messages.size() + ": " + lines(messages));
        task.removeAndClose();
    }

    private static void lastLinesKept(Env env) throws Exception {
        List<String> many = IntStream.rangeClosed(1, 200).mapToObj(i -> String.format("line-%03d", i)).toList();
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
            env.check(message.hasTimestamp() && message.getTimestamp().getSeconds() > 0,
                    "a log message has no timestamp: " + text(message));
            env.check(message.getContext().getTaskId().equals(task.task().getId())
                            && message.getContext().getServiceId().equals(task.task().getServiceId())
                            && message.getContext().getNodeId().equals(task.task().getNodeId()),
                    "a log message's context " + message.getContext().toString().replace('\n', ' ')
                            + " does not name the task " + task.task().getId() + ", service "
                            + task.task().getServiceId() + " and node " + task.task().getNodeId());
        }
        task.removeAndClose();
    }

    private static void streamSelection(Env env) throws Exception {
        TaskDriver task = finished(env, OUT, ERR, 0);
        List<LogMessage> messages = read(env, task, LogSubscriptionOptions.newBuilder()
                .addStreams(LogStream.LOG_STREAM_STDERR).build());
        env.check(messages.stream().allMatch(m -> m.getStream() == LogStream.LOG_STREAM_STDERR),
                "streams=[STDERR] also returned other streams: " + lines(messages));
        checkLines(env, messages, LogStream.LOG_STREAM_STDERR, ERR);
        task.removeAndClose();
    }

    private static void negativeTail(Env env) throws Exception {
        List<String> five = List.of("tail-1", "tail-2", "tail-3", "tail-4", "tail-5");
        TaskDriver task = finished(env, five, List.of(), 0);
        List<LogMessage> messages = read(env, task, LogSubscriptionOptions.newBuilder().setTail(-3).build());
        env.check(lines(messages).equals(List.of("tail-4", "tail-5")),
                "tail=-3 must return the last 2 lines [tail-4, tail-5] (swarmkit counts -n-1 from the end), got "
                        + lines(messages));
        task.removeAndClose();
    }

    private static void followDelivers(Env env) throws Exception {
        TaskDriver task = finished(env, OUT, ERR, 0);
        ControllerLogs logs = logsOf(env, task);
        List<LogMessage> received = Collections.synchronizedList(new ArrayList<>());
        LogSubscriptionOptions follow = LogSubscriptionOptions.newBuilder().setFollow(true).build();
        InFlight<Void> call = InFlight.start("ControllerLogs.logs(follow)", () -> {
            logs.logs(received::add, follow);
            return null;
        });
        int expected = OUT.size() + ERR.size();
        Poll.until(Duration.ofSeconds(5), () -> received.size() >= expected || call.isDone(), done -> done);
        if (!call.isDone()) {
            call.interrupt();
        }
        CallResult<Void> ended = Calls.finish(env.rule(), call, CancellationChecks.PROMPTLY);
        List<LogMessage> copy;
        synchronized (received) {
            copy = List.copyOf(received);
        }
        env.check(ended.returned() || Causes.isInterruption(ended.thrown()),
                "logs with follow threw " + Causes.describe(ended.thrown()));
        checkLines(env, copy, LogStream.LOG_STREAM_STDOUT, OUT);
        checkLines(env, copy, LogStream.LOG_STREAM_STDERR, ERR);
        task.removeAndClose();
    }

    private static void failingPublisher(Env env) throws Exception {
        TaskDriver task = env.resolved(env.workloads().print(OUT, ERR, 3)).startRunning();
        ControllerLogs logs = logsOf(env, task);
        LogPublisher failing = message -> {
            throw new IllegalStateException("publisher failure injected by the conformance kit");
        };
        LogSubscriptionOptions follow = LogSubscriptionOptions.newBuilder().setFollow(true).build();
        InFlight<Void> call = InFlight.start("ControllerLogs.logs(failing publisher)", () -> {
            logs.logs(failing, follow);
            return null;
        });
        TaskState end = task.settle();
        env.check(end == FAILED && task.status().getContainer().getExitCode() == 3,
                "with a failing log publisher the task ended " + end + " with exit code "
                        + task.status().getContainer().getExitCode() + " instead of FAILED with 3");
        if (!call.isDone()) {
            call.interrupt();
        }
        Calls.finish(env.rule(), call, CancellationChecks.PROMPTLY);
        List<LogMessage> messages = read(env, task, LogSubscriptionOptions.getDefaultInstance());
        checkLines(env, messages, LogStream.LOG_STREAM_STDOUT, OUT);
        checkLines(env, messages, LogStream.LOG_STREAM_STDERR, ERR);
        task.removeAndClose();
    }

    /** A task that printed the lines and exited, settled and awaited. */
    private static TaskDriver finished(Env env, List<String> out, List<String> err, int code) throws Exception {
        env.requireCapability(Capability.LOGS);
        TaskDriver task = env.resolved(env.workloads().print(out, err, code));
        TaskState end = task.settle();
        env.check(end == (code == 0 ? COMPLETE : FAILED), "the printing workload ended " + end + " (err '"
                + task.status().getErr() + "')");
        logsOf(env, task);
        return task;
    }

    /** Reads the logs without follow; the call must return on its own. */
    private static List<LogMessage> read(Env env, TaskDriver task, LogSubscriptionOptions options) throws Exception {
        ControllerLogs logs = logsOf(env, task);
        List<LogMessage> received = Collections.synchronizedList(new ArrayList<>());
        InFlight<Void> call = InFlight.start("ControllerLogs.logs(" + options.toString().replace('\n', ' ') + ")", () -> {
            logs.logs(received::add, options);
            return null;
        });
        CallResult<Void> result;
        try {
            result = call.await(env.callTimeout());
        } catch (TimeoutException e) {
            call.interrupt();
            throw env.violation("logs without follow did not return within " + Calls.seconds(env.callTimeout())
                    + " (it must return after the last buffered message)");
        }
        env.check(result.returned(), "logs without follow threw " + Causes.describe(result.thrown()));
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    private static void checkLines(Env env, List<LogMessage> messages, LogStream stream, List<String> expected) {
        List<String> got = lines(messages.stream().filter(m -> m.getStream() == stream).toList());
        if (!got.equals(expected)) {
            List<String> elsewhere = new ArrayList<>(expected);
            elsewhere.removeAll(got);
            List<String> onOtherStreams = lines(messages.stream().filter(m -> m.getStream() != stream).toList());
            elsewhere.retainAll(onOtherStreams);
            throw env.violation(stream + " should hold " + summary(expected) + " but held " + summary(got)
                    + (elsewhere.isEmpty() ? "" : "; tagged with another stream: " + summary(elsewhere)));
        }
    }

    private static String summary(List<String> lines) {
        if (lines.size() <= 8) {
            return lines.toString();
        }
        return lines.size() + " lines " + lines.subList(0, 3) + " ... " + lines.subList(lines.size() - 3, lines.size());
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
