package dev.taskexec.core;

import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every status reported, per task and overall, in arrival order. */
final class RecordingReporter implements StatusReporter {

    private final Map<String, List<TaskStatus>> byTask = new ConcurrentHashMap<>();
    private final List<String> order = new CopyOnWriteArrayList<>();

    @Override
    public void report(String taskId, TaskStatus status) {
        Objects.requireNonNull(taskId);
        Objects.requireNonNull(status);
        byTask.computeIfAbsent(taskId, id -> new CopyOnWriteArrayList<>()).add(status);
        order.add(taskId + ":" + status.getState());
    }

    List<TaskState> states(String taskId) {
        List<TaskState> states = new ArrayList<>();
        for (TaskStatus status : byTask.getOrDefault(taskId, List.of())) {
            states.add(status.getState());
        }
        return states;
    }

    List<TaskStatus> statuses(String taskId) {
        return List.copyOf(byTask.getOrDefault(taskId, List.of()));
    }

    /** Every report as {@code id:STATE}, in arrival order. */
    List<String> order() {
        return List.copyOf(order);
    }

    boolean saw(String taskId, TaskState state) {
        return states(taskId).contains(state);
    }

    void awaitState(String taskId, TaskState state) {
        Eventually.until(
                () -> saw(taskId, state),
                () -> taskId + " to report " + state + "; saw " + states(taskId));
    }

    int tasksThatSaw(TaskState state) {
        int n = 0;
        for (String id : byTask.keySet()) {
            if (saw(id, state)) {
                n++;
            }
        }
        return n;
    }
}
