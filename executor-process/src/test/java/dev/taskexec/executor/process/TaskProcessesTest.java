package dev.taskexec.executor.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link TaskProcesses#descendants(int)} (the kernel's child lists, which a stop follows instead of
 * reading every process of the host) finds what {@link ProcessHandle#descendants()} (a scan of all
 * {@code /proc}) finds: processes that left the group, and children of any thread.
 */
class TaskProcessesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aTreeWithAProcessThatLeftTheGroupIsFoundWhole() throws Exception {
        assumeTrue(
                TaskProcesses.CHILD_LISTS,
                "this kernel keeps no child lists (CONFIG_PROC_CHILDREN)");
        // sh, a second sh in a session of its own, and its sleep: three levels, one outside the
        // group
        Process root =
                new ProcessBuilder("sh", "-c", "setsid sh -c 'sleep 60 & wait' & wait").start();
        try {
            Conditions.awaitTrue(
                    "both descendants to run", WAIT, () -> scanned(root.toHandle()).size() == 2);
            Set<Long> expected = scanned(root.toHandle());
            List<Integer> found = TaskProcesses.descendants(Math.toIntExact(root.pid()));
            assertEquals(expected, pids(found));
            assertTrue(
                    expected.stream()
                            .anyMatch(
                                    p ->
                                            Posix.processGroup(p)
                                                    .map(g -> g != root.pid())
                                                    .orElse(false)),
                    "one of " + expected + " left the group");
        } finally {
            root.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            root.destroyForcibly().waitFor();
        }
    }

    @Test
    void aChildOfAnotherThreadIsFound() throws Exception {
        assumeTrue(
                TaskProcesses.CHILD_LISTS,
                "this kernel keeps no child lists (CONFIG_PROC_CHILDREN)");
        // a child belongs to the thread that forked it: the lists of the JVM's other threads are
        // read too
        AtomicReference<Process> child = new AtomicReference<>();
        CountDownLatch checked = new CountDownLatch(1);
        Thread forker =
                Thread.ofPlatform()
                        .start(
                                () -> {
                                    try {
                                        child.set(new ProcessBuilder("sleep", "60").start());
                                        checked.await(); // alive while the lists are read, so its
                                        // child is still on its own list
                                    } catch (java.io.IOException e) {
                                        throw new java.io.UncheckedIOException(e);
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                    }
                                });
        Conditions.awaitTrue("the other thread to start sleep", WAIT, () -> child.get() != null);
        Process p = child.get();
        try {
            int self = Math.toIntExact(ProcessHandle.current().pid());
            List<Integer> found = TaskProcesses.descendants(self);
            assertTrue(
                    found.contains(Math.toIntExact(p.pid())),
                    "sleep " + p.pid() + " among " + found);
        } finally {
            checked.countDown();
            forker.join();
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void aProcessThatIsGoneHasNone() throws Exception {
        assumeTrue(
                TaskProcesses.CHILD_LISTS,
                "this kernel keeps no child lists (CONFIG_PROC_CHILDREN)");
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        assertEquals(List.of(), TaskProcesses.descendants(Math.toIntExact(p.pid())));
    }

    private static Set<Long> scanned(ProcessHandle root) {
        return root.descendants()
                .map(ProcessHandle::pid)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<Long> pids(List<Integer> found) {
        List<Long> longs = new ArrayList<>();
        found.forEach(p -> longs.add((long) p));
        return new TreeSet<>(longs);
    }
}
