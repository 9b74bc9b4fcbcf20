package dev.taskexec.executor.docker;

import static dev.taskexec.executor.docker.DockerTestEnvironment.shell;
import static dev.taskexec.executor.docker.DockerTestEnvironment.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.taskexec.api.Controller;
import dev.taskexec.api.ReapedResource;
import dev.taskexec.api.TaskAlreadyStartedException;
import dev.taskexec.api.proto.Task;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Ownership labels and the orphan reaper against the real engine. */
@Timeout(120)
class DockerRecoveryTest {

    @BeforeAll
    static void engine() {
        DockerTestEnvironment.require();
    }

    @AfterAll
    static void nothingLeft() {
        DockerTestEnvironment.assertNoContainersLeft();
    }

    private static String owner() {
        return "test-" + UUID.randomUUID();
    }

    private static Controller started(DockerExecutor executor, Task task) throws Exception {
        Controller c = executor.controller(task);
        c.prepare();
        c.start();
        return c;
    }

    @Test
    void containersCarryTheTaskAndOwnerLabelsAndTheReaperTouchesOnlyItsOwnUnclaimedOnes()
            throws Exception {
        String mine = owner();
        String theirs = owner();
        Task orphan = task(shell("sleep 300"));
        Task claimed = task(shell("sleep 300"));
        Task foreign = task(shell("sleep 300"));
        try (DockerExecutor first =
                        DockerTestEnvironment.executor(Map.of(DockerOptions.OWNER, mine));
                DockerExecutor other =
                        DockerTestEnvironment.executor(Map.of(DockerOptions.OWNER, theirs))) {
            Controller o = started(first, orphan);
            Controller c = started(first, claimed);
            Controller f = started(other, foreign);
            InspectContainerResponse inspected =
                    first.engineForTests()
                            .client()
                            .inspectContainerCmd(ContainerPlan.containerName(orphan))
                            .exec();
            assertEquals(mine, inspected.getConfig().getLabels().get(ContainerPlan.LABEL_OWNER));
            assertEquals(
                    orphan.getId(),
                    inspected.getConfig().getLabels().get(ContainerPlan.LABEL_TASK_ID));

            // A new agent with the first one's owner, whose store still claims one task.
            try (DockerExecutor next =
                    DockerTestEnvironment.executor(Map.of(DockerOptions.OWNER, mine))) {
                List<ReapedResource> reaped = next.reapOrphans(Set.of(claimed.getId()));
                assertEquals(
                        List.of(orphan.getId()),
                        reaped.stream().map(ReapedResource::taskId).toList(),
                        reaped.toString());
                assertTrue(
                        reaped.get(0).description().contains(ContainerPlan.containerName(orphan)),
                        reaped.toString());
                assertEquals(
                        List.of(),
                        next.reapOrphans(Set.of(claimed.getId())),
                        "reaping again finds nothing");

                Controller adopted = next.controller(claimed);
                assertThrows(
                        TaskAlreadyStartedException.class,
                        adopted::start,
                        "the claimed container is untouched");
                adopted.remove();
                adopted.close();
            }
            Controller foreignAgain = other.controller(foreign);
            assertThrows(
                    TaskAlreadyStartedException.class,
                    foreignAgain::start,
                    "another owner's container is untouched");
            foreignAgain.remove();
            foreignAgain.close();
            for (Controller dropped : List.of(o, c, f)) {
                dropped.close();
            }
        }
    }
}
