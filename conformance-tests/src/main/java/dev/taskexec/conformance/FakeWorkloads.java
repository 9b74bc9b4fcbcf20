package dev.taskexec.conformance;

import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.TaskSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link Workloads} as scripts of the {@code fake} backend, in its command-word
 * grammar ({@code dev.taskexec.executor.fake.FakeScript}). Written as words rather
 * than through the fake's Java API so the kit does not depend on the fake.
 */
enum FakeWorkloads implements Workloads {
    INSTANCE;

    private static final String INJECTED = "fault injected by the conformance kit";

    @Override
    public TaskSpec exit(int code) {
        return spec(Duration.ofSeconds(1), "exit=" + code);
    }

    @Override
    public TaskSpec exitAfter(Duration delay, int code) {
        return spec(Duration.ofSeconds(1), "exit=" + code, "after=" + millis(delay));
    }

    @Override
    public TaskSpec print(List<String> stdout, List<String> stderr, int code) {
        List<String> words = new ArrayList<>();
        words.add("exit=" + code);
        stdout.forEach(line -> words.add("stdout=" + line));
        stderr.forEach(line -> words.add("stderr=" + line));
        return spec(Duration.ofSeconds(1), words.toArray(String[]::new));
    }

    @Override
    public TaskSpec runUntilStopped(Duration stopGracePeriod) {
        return spec(stopGracePeriod, "after=never", "stop-exit=0", "stdout=" + READY);
    }

    @Override
    public TaskSpec ignoreStopSignal(Duration stopGracePeriod) {
        return spec(stopGracePeriod, "after=never", "ignore-stop", "stdout=" + READY);
    }

    @Override
    public TaskSpec rejected() {
        return spec(Duration.ofSeconds(1), "prepare=fail:the conformance kit's rejected workload");
    }

    @Override
    public Map<String, TaskSpec> unrunnable() {
        return Map.of(
                "a script word the fake does not know",
                spec(Duration.ofSeconds(1), "exit=0", "taskexec-conformance-no-such-word"));
    }

    @Override
    public Optional<TaskSpec> withFault(TaskSpec spec, Fault fault) {
        String word =
                switch (fault) {
                    case PREPARE_FAILS -> "prepare=fail:" + INJECTED;
                    case PREPARE_FAILS_ONCE_TEMPORARILY -> "prepare=temporary:" + INJECTED + ",ok";
                    case PREPARE_BLOCKS_ONCE -> "prepare=block,ok";
                    case START_FAILS -> "start=fail:" + INJECTED;
                    case START_FAILS_ONCE_TEMPORARILY -> "start=temporary:" + INJECTED + ",ok";
                    case AWAIT_FAILS_ONCE_TEMPORARILY -> "await=temporary:" + INJECTED + ",ok";
                };
        return Optional.of(
                spec.toBuilder()
                        .setContainer(spec.getContainer().toBuilder().addArgs(word))
                        .build());
    }

    private static TaskSpec spec(Duration grace, String... words) {
        ContainerSpec.Builder container =
                ContainerSpec.newBuilder()
                        .addCommand("fake")
                        .addAllArgs(List.of(words))
                        .setStopGracePeriod(
                                com.google.protobuf.Duration.newBuilder()
                                        .setSeconds(grace.getSeconds())
                                        .setNanos(grace.getNano()));
        return TaskSpec.newBuilder().setContainer(container).build();
    }

    private static String millis(Duration duration) {
        return duration.toMillis() + "ms";
    }

    @Override
    public String toString() {
        return "Workloads.fake()";
    }
}
