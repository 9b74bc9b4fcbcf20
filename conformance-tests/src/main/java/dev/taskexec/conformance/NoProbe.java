package dev.taskexec.conformance;

import dev.taskexec.api.proto.Task;
import java.util.List;

/** The probe of a backend that declares none: it sees nothing, and says so. */
enum NoProbe implements ResourceProbe {
    INSTANCE;

    @Override
    public List<String> heldFor(Task task) {
        return List.of();
    }

    @Override
    public boolean inspects() {
        return false;
    }

    @Override
    public String toString() {
        return "ResourceProbe.none()";
    }
}
