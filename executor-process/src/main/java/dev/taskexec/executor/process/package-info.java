/**
 * The process executor ({@code process}): runs each task as a local OS process, in a
 * pseudo-terminal when the task sets {@code tty}. It needs no daemon and is taskexec's default.
 *
 * <h2>Mapping a task</h2>
 * <ul>
 *   <li>Only the {@code container} runtime is run; any other gives
 *       {@link dev.taskexec.api.RuntimeUnsupportedException}. {@code image} is ignored: the program
 *       comes from this host's file system.</li>
 *   <li>{@code command} followed by {@code args} is the argv, executed directly, never through a
 *       shell. {@code command[0]} is looked up like {@code execvp(3)} would in the task's
 *       environment (a name with a slash is a path, relative to the working directory; otherwise
 *       the task's {@code PATH}, else this JVM's). The program receives the path found as its
 *       {@code argv[0]} (same file name, symbolic links not resolved).</li>
 *   <li>The environment is not this JVM's: a task inherits only {@code PATH}, {@code HOME},
 *       {@code LANG}, {@code LC_*}, {@code TERM} and {@code TZ} from it, plus what the
 *       {@code pass-env} option names ({@code NAME}, {@code PREFIX_*}, or {@code *} for everything;
 *       {@code -o pass-env=*} restores the old behaviour), so the agent's credentials stay out of
 *       tasks. Over that go the task's {@code env} ({@code KEY=VALUE}
 *       entries, later ones winning), then {@code TASKEXEC_TASK_ID} set to the task's id (it lets
 *       tools find every process of a task, even one that left its group). With {@code tty},
 *       {@code TERM=xterm} unless the task sets {@code TERM}.</li>
 *   <li>{@code dir} is the working directory (empty: the JVM's). Standard input is
 *       {@code /dev/null} unless {@code open_stdin} is set, in which case it is a pipe kept open
 *       until the task exits.</li>
 *   <li>{@code stop_signal} is a name ({@code SIGINT}, {@code INT}) or number, default SIGTERM;
 *       {@code stop_grace_period} defaults to the executor's {@code stop-grace-period} option.</li>
 *   <li>Whatever a local process cannot honour is refused, naming the field, never silently
 *       ignored: a {@code user} other than the JVM's own, mounts, {@code read_only}, groups, secrets,
 *       configs, hosts, DNS configuration, privileges, isolation, process-count limits, sysctls,
 *       capabilities, ulimits, OOM score, {@code init}, health checks, a {@code hostname} other than
 *       this host's, and CPU or memory limits. Reservations, labels and pull options are
 *       scheduling or image concerns and are accepted.</li>
 * </ul>
 * Checks that need no file system happen in {@code Executor.controller}; the executable and the
 * working directory are checked by {@code prepare}. Both ways the lifecycle reports the task
 * REJECTED with the {@link java.lang.IllegalArgumentException}'s message, which starts with the
 * field ({@code container.env[2]: "X" is not KEY=VALUE}); nothing is started.
 *
 * <h2>Process trees, signals and exit codes</h2>
 * A task's process is started as the leader of a new session and process group. With piped
 * output on Linux with glibc 2.34 or newer, glibc's {@code posix_spawn(3)} is called through JNA
 * with {@code POSIX_SPAWN_SETSID}, the working directory, the three standard streams, an empty
 * signal mask, and every other descriptor closed; it also reports exec failures as errors. Elsewhere
 * the JDK starts {@code setsid(1)} (util-linux or busybox), which, as a JDK-spawned child is never a
 * group leader, calls {@code setsid(2)} and execs the program in the same process, without forking,
 * so the pid and exit status the JDK reports are the task's; an exec failure then shows as the exit
 * code {@code setsid(1)} chooses. The system property {@code taskexec.process.noPosixSpawn=true}
 * forces that fallback (both paths pass the conformance kit). With a PTY, pty4j's child calls
 * {@code setsid(2)} itself. Signals go to the whole group with {@code kill(-pgid, sig)} through JNA, plus, from a
 * snapshot of the process's descendants, to descendants that moved to another group. The snapshot
 * follows the kernel's child lists ({@code /proc/PID/task/TID/children}) down from the task's
 * process, so a stop reads only that task's tree whatever else runs on the host; only on a kernel
 * without them is it {@link java.lang.ProcessHandle#descendants()}, which reads every process.
 * When the task's process exits, whatever remains of its group is killed, so background
 * children die with it (as they do when a container's init exits). A process that leaves the group
 * and is orphaned before a signal is sent cannot be found; and without {@code setsid(1)} (it is
 * absent on macOS) only the snapshot of descendants is signalled. Exit codes are the process's;
 * a death by signal n is reported as 128 + n, as shells do. Signal numbers are Linux's; elsewhere
 * only the signals POSIX numbers (HUP, INT, QUIT, ABRT, KILL, ALRM, TERM) are accepted.
 *
 * <p>The JVM reaps the task's own process; orphaned grandchildren are re-parented to init, whose
 * job reaping them is. An executor registers a JVM shutdown hook (with its first controller, removed
 * by {@code close}) that kills the tasks still running, since a process in its own session would
 * otherwise outlive the JVM unseen; tasks under a shim ({@code state-dir}, below) are the exception:
 * they are meant to outlive the JVM.
 *
 * <h2>Lifecycle</h2>
 * <ul>
 *   <li>{@code prepare} resolves the executable and working directory and creates the task's
 *       storage; again: {@code TaskAlreadyPreparedException}.</li>
 *   <li>{@code start} spawns (preparing first if needed); again, even after exit:
 *       {@code TaskAlreadyStartedException}.</li>
 *   <li>{@code await} blocks until exit and drained output; repeatable; a non-zero exit throws
 *       {@code ExitException} with the code and a {@code ContainerStatus} (container id: hex SHA-256
 *       of the task id, the pid, the exit code).</li>
 *   <li>{@code shutdown}: stop signal to the tree, the grace period, then SIGKILL; {@code terminate}:
 *       SIGKILL at once. Both return once the task exited; no-ops before start and after exit. If a
 *       SIGKILLed tree has not exited after 10 s they fail with a {@code TimeoutException} cause (the
 *       lifecycle retries).</li>
 *   <li>{@code remove} kills what still runs, deletes the storage and drops the logs; idempotent.</li>
 *   <li>{@code update} accepts a newer copy of the task with the same id and spec (else
 *       {@code TaskUpdateRejectedException}); ignored after exit.</li>
 *   <li>Interrupting a blocked call makes it throw {@code InterruptedException} at once and leaves
 *       the process as it was.</li>
 * </ul>
 * One decision differs from a container backend: without a {@code state-dir}, {@code close()} kills
 * a task that still runs, because a local process can only be reached through its controller, and
 * one nobody can see, stop or read any more would be a leak. Call {@code shutdown} first for a
 * graceful stop. With a {@code state-dir}, a task runs under a shim that a later executor on the same
 * directory can find, so {@code close()} leaves it running, as a container outlives its controller.
 *
 * <h2>Logs</h2>
 * <b>Where output goes.</b> On Linux (64-bit) a piped task's stdout and stderr are files that its
 * process writes itself: {@code stdout.log} and {@code stderr.log} in the task's directory
 * ({@code <state-dir>/<container id>/} with the {@code state-dir} option, else a private temporary
 * directory of the executor, in {@code /dev/shm} when it has 4 GiB free, deleted with the task or by
 * {@code close}; one left behind by a JVM that was killed is deleted by the next executor that makes
 * its own there). The kernel writes them:
 * no thread of this JVM sits between the task and its output, the task never blocks on a slow
 * reader, and the output stays on disk even after this JVM is gone, which is what lets an agent
 * that restarts read it again ({@code OutputFiles} is that seam). One thread per executor, the
 * output poller, reads every task's files as they grow (a file that gave data is read again at
 * once, 64 KiB at a time, files taking turns; an idle one is looked at again after up to 100 ms,
 * so idle tasks cost about ten small reads a second each, and new output shows within 100 ms).
 * Without {@code state-dir} the poller gives back the disk space of what it has read
 * ({@code fallocate(PUNCH_HOLE)}), so the temporary files use about as much disk as is not yet
 * read; with {@code state-dir} the files are the complete output, as before. As with Docker's
 * json-file driver, a full file system makes the task's own writes fail. With a PTY (one stream,
 * labelled stdout, with {@code \r\n} line ends; {@code tty.log} on disk), and with
 * {@code -Dtaskexec.process.outputPipes=true} or off Linux, output comes through pipes read by a thread
 * per stream, as it used to.
 *
 * <p><b>Messages.</b> The buffer holds <em>chunks</em>: the whole lines read together (one line for a
 * task that writes a line at a time), at most 64 KiB, stamped with the time they were read. Readers
 * see one {@code LogMessage} per line, with its end, carrying the chunk's time, stream and the
 * task's context; a line longer than 16 KiB (Docker's limit for a log message; swarmkit adds no limit of
 * its own that we found, and its agent lifts gRPC's message size limit) is cut into messages of 16 KiB, none lost;
 * a last line without a terminator is delivered as it is. Concatenating a stream's messages gives
 * back its bytes exactly. A publisher that is a {@link dev.taskexec.api.LogChunkPublisher} (the
 * {@code taskexec run} printer) receives the chunks themselves when {@code tail} is 0: no per-line
 * cost at all. The options select as {@link dev.taskexec.api.support.LogSelection} says, as on every
 * backend: {@code tail} counts lines left by {@code streams} and {@code since}; {@code since}
 * compares chunk times.
 *
 * <p><b>Memory.</b> Chunks are kept in a per-task buffer bounded in bytes ({@code log-buffer-size},
 * default 1 MiB); the oldest are dropped first, and that window is what any reader sees of the past.
 * The task never waits for its readers. A follower ({@code logs} with {@code follow}) that is slower
 * than the task does not lose messages: while it is behind, the buffer keeps what it has not read
 * yet, up to {@code log-follow-lag} more (default 64m, each chunk counting its data plus 128 bytes).
 * Those extra chunks are for that follower only (a new reader still sees the window) and are dropped
 * as soon as it has read them or its {@code logs} call ended in any way, interruption included. When
 * a follower is behind by half that bound and still reading (it took messages within the last five seconds),
 * the output files are not read on for a while: the output waits in its file (the task never waits),
 * and a follower slowed by a moment's load (a GC pause, a busy CPU) catches up without losing anything.
 * Without a {@code state-dir} this waiting is bounded too, to 256 MiB unread per file. A
 * follower that falls further behind misses the oldest messages and is told so, never silently: it
 * receives one stderr message with the task's context, {@code taskexec: N log messages were dropped
 * because this reader fell behind; raise -o log-follow-lag (now B bytes)}, where the missed
 * messages were (whatever {@code streams} it asked for); N counts lines exactly as they would have
 * been delivered. So a task's log memory is at most the window, plus the lag bound per follower,
 * plus 64 KiB of a line being read per stream, whatever the volume, line length or reader speed.
 * {@code await} returns once the process exited and its files were read to their end (with pipes:
 * both streams reached their end, waiting at most two seconds after the exit, in case a stray process
 * outside the task's group holds them open).
 *
 * <h2>Surviving the agent</h2>
 * With the {@code state-dir} option (and on Linux with pidfds and {@code posix_spawn}, as above), a
 * task's processes outlive the agent's JVM, and a new executor on the same {@code state-dir}, in a
 * fresh JVM, re-adopts them: the executor is a {@link dev.taskexec.api.TaskRecovery}.
 * <ul>
 *   <li><b>The shim.</b> The task's program is not spawned directly but under a tiny POSIX shell
 *       script ({@code /bin/sh -c}, see {@code TaskShim}): the shim is the session and process group
 *       leader, with the task's output files as stdout and stderr, and runs the program in the
 *       foreground, in its group. It traps every catchable signal but SIGCHLD with a no-op, so the
 *       stop signal sent to the group ({@code shutdown}) reaches the program (for which the traps
 *       are reset to the defaults by {@code exec}) and leaves the shim; SIGKILL ({@code terminate},
 *       after the grace period, {@code remove}) goes to the shim's child, the program,
 *       again until the shim has seen it end (what else is in the group is killed once the shim
 *       has exited, as for any task whose main process ended). The shim then writes the program's
 *       exit status ({@code $?}: 128 + n after a death by signal n) to the task folder's
 *       {@code exit} file (with its own {@code echo}: no other process, which the killing of the
 *       task's group could catch before it wrote) and exits with it.</li>
 *   <li><b>The task folder</b> ({@code <state-dir>/<container id>/}, see {@code TaskDir}) holds
 *       {@code task-id} (written by {@code prepare}), {@code started} (written just before the shim
 *       is spawned), {@code pid} (the shim's, written once it is spawned: also the group and session id),
 *       {@code exit}, and the output files {@code stdout.log} and {@code stderr.log}.</li>
 *   <li><b>Re-adoption.</b> {@code Executor.controller(task)} looks for the task's folder: none, or
 *       another task's: a new task. With {@code task-id} only: prepared ({@code prepare} throws
 *       {@code TaskAlreadyPreparedException}; {@code start} starts it). Started: {@code start}
 *       throws {@code TaskAlreadyStartedException}; the shim's pid is checked to be the task's (the
 *       {@code TASKEXEC_TASK_ID} in its environment, so a reused pid is never taken for it) and
 *       watched through a pidfd by the executor's one exit watcher thread (it is no longer our child,
 *       so it is not reaped here; init reaps it); once it has gone, or at once when it had, the exit
 *       code is read from {@code exit}. The output files are read again from their start, so
 *       {@code logs} returns everything the task wrote, before and while no agent ran.
 *       {@code shutdown}, {@code terminate} and {@code remove} act on the adopted group as on one
 *       started here. When {@code started} is there but no {@code pid}, the agent died in between:
 *       a process that carries the task's id is its shim; if there is none, the task was never
 *       spawned and may start.</li>
 *   <li><b>Orphans.</b> {@code reapOrphans(claimed)} walks {@code state-dir}: every task folder
 *       whose {@code task-id} is not claimed (or that has none) loses its shim's group and every
 *       process carrying its task id (SIGKILL), then the folder; each is returned and logged. Only
 *       folders named like a container id are looked at.</li>
 *   <li><b>What survives what.</b> An agent crash (SIGKILL, OOM kill, a JVM crash): the tasks run
 *       on, their exits are recorded, and the next executor on the same {@code state-dir} finds them.
 *       A graceful end of the agent is the same: {@code Controller.close()} and
 *       {@code Executor.close()} (also run by the JVM's shutdown hook on SIGTERM) stop reading the
 *       tasks' output and leave them running, so that a node restarted by its service manager
 *       (SIGTERM, then a new start) interrupts none of its tasks; {@code shutdown},
 *       {@code terminate} and {@code remove} stop a task, and {@code reapOrphans} stops every task
 *       the caller does not claim. A
 *       machine reboot: nothing runs any more; a task that ended before reports its recorded exit,
 *       one that was still running reports 255 (its shim ended without recording an exit code), the
 *       output files remain. A shim that is itself SIGKILLed from outside likewise gives 255. Loss of
 *       the {@code state-dir}: the tasks run on unowned and cannot be found (only
 *       {@code TASKEXEC_TASK_ID} tells them). Not covered: {@code tty} tasks (pty4j's processes hang
 *       up with the JVM's terminal end), the pipe fallbacks ({@code taskexec.process.outputPipes},
 *       no pidfds, the {@code setsid(1)} path), and standard input ({@code open_stdin}: the pipe
 *       ends with the JVM that held it, so the task reads end of file).</li>
 *   <li><b>Cost.</b> One process per running task, the shim (no JVM): measured with
 *       {@code benchmarks/process-survival-cost.sh 1000} at 1,000 running {@code sleep 600} tasks:
 *       2.00 processes per task carry its id (the shim and {@code sleep}), the shims' memory is
 *       113 KiB each on average by PSS (111 MiB in all), 1.7 MiB each by RSS (which counts the shared
 *       {@code sh} and libc pages in full), with dash as {@code /bin/sh} on x86-64 Debian. Five
 *       small files in its folder. An exec failure of the program (which {@code prepare} has already
 *       checked exists and is executable) shows as the shell's exit code 126 or 127 instead of an
 *       error from {@code start}.</li>
 * </ul>
 *
 * <h2>PTY and native code</h2>
 * A PTY starts at 80 columns by 24 rows. pty4j and JNA load native code: pty4j extracts its
 * library under {@code java.io.tmpdir} unless the system property {@code pty4j.tmpdir} names
 * another directory, and on JDK 24 and newer the JVM warns about native access unless it runs
 * with {@code --enable-native-access=ALL-UNNAMED} (or the jar's manifest says
 * {@code Enable-Native-Access: ALL-UNNAMED}).
 *
 * <h2>Threads</h2>
 * An executor's thread count does not grow with its running tasks: on Linux, output is read by the
 * one output poller thread above, and the exits of the processes it started with {@code posix_spawn}
 * are learned by one exit watcher thread, which waits in {@code poll(2)} on a pidfd per process
 * ({@code pidfd_open(2)}, Linux 5.3) and reaps with {@code waitpid(WNOHANG)}. Each starts with the
 * first task that needs it and ends when no task does. A running task holds three descriptors (its
 * two output files and its pidfd), none of which is a thread. Where pidfds are missing, a thread of a
 * cached pool per executor waits in {@code waitpid} for each process; in the {@code setsid(1)}
 * fallback the JDK's reaper does ({@link java.lang.Process#onExit()}, a thread per process); a PTY
 * task has its own reader thread (a blocking read would pin a virtual thread's carrier).
 * {@code Executor.close} shuts them down; they end with the tasks they serve.
 */
package dev.taskexec.executor.process;
