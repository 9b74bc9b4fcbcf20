package dev.taskexec.api.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * TaskState numbers are swarmkit's, and comparing them orders the lifecycle.
 * The lifecycle code compares states by number, so a renumbering here would
 * silently break it.
 */
class TaskStateTest {

    /** swarmkit's api/types.proto, in lifecycle order. */
    private static final Map<String, Integer> SWARMKIT = new LinkedHashMap<>();

    static {
        SWARMKIT.put("NEW", 0);
        SWARMKIT.put("PENDING", 64);
        SWARMKIT.put("ASSIGNED", 192);
        SWARMKIT.put("ACCEPTED", 256);
        SWARMKIT.put("PREPARING", 320);
        SWARMKIT.put("READY", 384);
        SWARMKIT.put("STARTING", 448);
        SWARMKIT.put("RUNNING", 512);
        SWARMKIT.put("COMPLETE", 576);
        SWARMKIT.put("SHUTDOWN", 640);
        SWARMKIT.put("FAILED", 704);
        SWARMKIT.put("REJECTED", 768);
        SWARMKIT.put("REMOVE", 800);
        SWARMKIT.put("ORPHANED", 832);
    }

    @Test
    void numbersAreSwarmkits() {
        Map<String, Integer> ours = new LinkedHashMap<>();
        for (TaskState state : knownStates()) {
            ours.put(state.name(), state.getNumber());
        }
        assertEquals(SWARMKIT, ours); // same names, same numbers, same declaration order
    }

    @Test
    void numbersStrictlyIncreaseInLifecycleOrder() {
        List<TaskState> lifecycle = SWARMKIT.keySet().stream().map(TaskState::valueOf).toList();
        for (int i = 1; i < lifecycle.size(); i++) {
            TaskState before = lifecycle.get(i - 1);
            TaskState after = lifecycle.get(i);
            assertTrue(before.getNumber() < after.getNumber(), before + " must be below " + after);
            // Java's enum order agrees with the numbers, so compareTo orders states as well.
            assertTrue(before.compareTo(after) < 0, before + " must compare below " + after);
        }
    }

    @Test
    void terminalStatesSitAboveRunning() {
        for (TaskState terminal :
                List.of(
                        TaskState.COMPLETE,
                        TaskState.SHUTDOWN,
                        TaskState.FAILED,
                        TaskState.REJECTED)) {
            assertTrue(terminal.getNumber() > TaskState.RUNNING.getNumber(), terminal.name());
        }
    }

    @Test
    void aStateFromANewerSwarmkitKeepsItsNumber() throws InvalidProtocolBufferException {
        // proto3 enums are open: a value we do not know decodes as UNRECOGNIZED
        // but its number is kept, so it still orders and re-encodes unchanged.
        TaskStatus future = TaskStatus.newBuilder().setStateValue(900).build();

        TaskStatus decoded = TaskStatus.parseFrom(future.toByteArray());

        assertEquals(TaskState.UNRECOGNIZED, decoded.getState());
        assertEquals(900, decoded.getStateValue());
        assertTrue(decoded.getStateValue() > TaskState.ORPHANED.getNumber());
        assertEquals(future, TaskStatus.parseFrom(decoded.toByteArray()));
    }

    private static List<TaskState> knownStates() {
        List<TaskState> states = new ArrayList<>(Arrays.asList(TaskState.values()));
        states.remove(TaskState.UNRECOGNIZED);
        return states;
    }
}
