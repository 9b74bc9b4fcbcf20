package dev.taskexec.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One thing {@link TaskRecovery#reapOrphans} stopped and removed.
 *
 * @param taskId the id of the task it belonged to, as its marker said; empty when it carried none
 * @param description what it was, for a log line: "container 3f2a… (taskexec-abc)", "process
 *     group 4711", "state directory /var/lib/…"
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record ReapedResource(String taskId, String description) {

    /**
     * Checks that both fields are present.
     *
     * @throws NullPointerException if an argument is null
     */
    public ReapedResource {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(description, "description");
    }
}
