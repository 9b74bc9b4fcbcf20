package dev.taskexec.executor.process;

import dev.taskexec.api.support.Signal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signals a task's whole process tree.
 *
 * <p>How the tree is found: the task's process is started as the leader of a new session and
 * process group (through {@code setsid(1)} for pipes, by pty4j itself for a PTY), so its pid is
 * also the group id, and every child it forks stays in that group unless it moves itself out. A
 * signal goes to the group with one {@code kill(-pgid, sig)}, which the kernel delivers atomically
 * (no child forked mid-way escapes it). On top of that, a snapshot of the leader's descendants
 * taken just before catches those that left the group ({@code setsid}, {@code setpgid}) while still
 * below the leader. The snapshot follows the kernel's child lists down from the leader
 * ({@link TaskProcesses#descendants}), so a stop reads only the task's own tree, and stopping
 * thousands of tasks costs linearly in their number; only where the kernel keeps no such lists is it
 * {@link ProcessHandle#descendants()}, which reads every process of the host.
 *
 * <p>Limits: a process that both left the group and was orphaned (its parent exited, so it was
 * re-parented away from the tree) can no longer be found. When the group could not be made
 * ({@code setsid(1)} missing, or libc unreachable through JNA), only the snapshot is signalled,
 * and, without libc, only SIGTERM and SIGKILL can be sent (through {@link ProcessHandle}).
 */
final class ProcessTree {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessTree.class);

    private final long pid;
    private final Supplier<Optional<ProcessHandle>> leader;
    private final boolean groupLeader;
    private final boolean shielded;

    ProcessTree(long pid, Supplier<Optional<ProcessHandle>> leader, boolean groupLeader) {
        this(pid, leader, groupLeader, false);
    }

    /**
     * @param pid         the task's process
     * @param leader      looks up its handle, empty when it is already gone
     * @param groupLeader whether it was started as leader of its own process group
     * @param shielded    whether the leader is a {@link TaskShim} that must outlive the task to record
     *                    its exit: it traps the catchable signals, and SIGKILL goes to the group's other
     *                    members one by one instead of to the group
     */
    ProcessTree(
            long pid,
            Supplier<Optional<ProcessHandle>> leader,
            boolean groupLeader,
            boolean shielded) {
        this.pid = pid;
        this.leader = leader;
        this.groupLeader = groupLeader && Posix.available();
        this.shielded = shielded && this.groupLeader;
    }

    long pid() {
        return pid;
    }

    /**
     * Sends {@code signal} to the leader, its group, and the descendants outside the group.
     * Processes already gone are skipped. Does not wait.
     */
    void signal(Signal signal) {
        Optional<ProcessHandle> leader = this.leader.get();
        List<ProcessHandle> descendants =
                leader.filter(ProcessHandle::isAlive)
                        .map(ProcessTree::descendants)
                        .orElse(List.of());
        boolean groupReached = false;
        if (shielded && signal.number() == Signal.SIGKILL.number()) {
            // the shim's own child is the task's process: once it is gone the shim records the exit
            // and
            // ends, and the rest of the group dies with it (killRemainingGroup); only where the
            // kernel does
            // not list children is the whole of /proc searched for the group's members
            int leaderPid = Math.toIntExact(pid);
            List<Integer> children = TaskProcesses.children(leaderPid);
            for (int member :
                    children != null ? children : TaskProcesses.inGroup(leaderPid, leaderPid)) {
                send(member, signal);
            }
            groupReached = true;
        } else if (groupLeader) {
            int err = Posix.kill(-pid, signal.number());
            groupReached = err == 0;
            if (err != 0 && err != Posix.ESRCH) {
                LOG.warn("kill(-{}, {}) failed: errno {}", pid, signal, err);
            }
        }
        if (!groupReached && !shielded) {
            // before setsid(2) ran in the child there is no group yet: the leader is alone then
            leader.ifPresent(l -> send(l, signal));
        }
        for (ProcessHandle d : descendants) {
            if (groupReached && Posix.processGroup(d.pid()).map(g -> g == pid).orElse(true)) {
                continue; // the group signal reached it (or it is gone)
            }
            send(d, signal);
        }
    }

    /**
     * After the leader exited: kills what is left of its group (background children it did not
     * wait for), so nothing of the task outlives it. A no-op without a group.
     */
    void killRemainingGroup() {
        if (groupLeader) {
            int err = Posix.kill(-pid, Signal.SIGKILL.number());
            if (err != 0 && err != Posix.ESRCH) {
                LOG.warn("kill(-{}, SIGKILL) failed: errno {}", pid, err);
            }
        }
    }

    /**
     * The leader's descendants, found below it through the kernel's child lists, so that a stop costs
     * the same however many other processes (other tasks') run on the host; where the kernel keeps no
     * such lists, through {@link ProcessHandle#descendants()}, which reads every process of the host.
     */
    private static List<ProcessHandle> descendants(ProcessHandle leader) {
        List<Integer> pids = TaskProcesses.descendants(Math.toIntExact(leader.pid()));
        if (pids == null) {
            return leader.descendants().toList();
        }
        List<ProcessHandle> found = new ArrayList<>(pids.size());
        for (int p : pids) {
            ProcessHandle.of(p).ifPresent(found::add);
        }
        return found;
    }

    private static void send(int pid, Signal signal) {
        int err = Posix.kill(pid, signal.number());
        if (err != 0 && err != Posix.ESRCH) {
            LOG.warn("kill({}, {}) failed: errno {}", pid, signal, err);
        }
    }

    private static void send(ProcessHandle p, Signal signal) {
        if (Posix.available()) {
            int err = Posix.kill(p.pid(), signal.number());
            if (err != 0 && err != Posix.ESRCH) {
                LOG.warn("kill({}, {}) failed: errno {}", p.pid(), signal, err);
            }
        } else if (signal.number() == Signal.SIGKILL.number()) {
            p.destroyForcibly();
        } else {
            p.destroy();
        }
    }
}
