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
 * snapshot of {@link java.lang.ProcessHandle#descendants()}, to descendants that moved to another
 * group. When the task's process exits, whatever remains of its group is killed, so background
 * children die with it (as they do when a container's init exits). A process that leaves the group
 * and is orphaned before a signal is sent cannot be found; and without {@code setsid(1)} (it is
 * absent on macOS) only the snapshot of descendants is signalled. Exit codes are the process's;
 * a death by signal n is reported as 128 + n, as shells do. Signal numbers are Linux's; elsewhere
 * only the signals POSIX numbers (HUP, INT, QUIT, ABRT, KILL, ALRM, TERM) are accepted.
 *
 * <p>The JVM reaps the task's own process; orphaned grandchildren are re-parented to init, whose
 * job reaping them is. An executor registers a JVM shutdown hook (with its first controller, removed
 * by {@code close}) that kills the tasks still running, since a process in its own session would
 * otherwise outlive the JVM unseen.
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
 * One decision differs from a container backend: {@code close()} kills a task that still runs,
 * because a local process can only be reached through its controller, and one nobody can see,
 * stop or read any more would be a leak. Call {@code shutdown} first for a graceful stop.
 *
 * <h2>Logs</h2>
 * stdout and stderr are read by one thread each (a PTY gives one stream, labelled stdout, with
 * {@code \r\n} line ends), always, whether anyone subscribes or not. Each line, with its end, is a
 * {@code LogMessage} with its time, stream and the task's context; lines over 16 KiB are split.
 * Messages are kept in a per-task buffer bounded in bytes ({@code log-buffer-size}); the oldest
 * are dropped first, and that window is what any reader sees of the past. The task never waits for
 * its readers. A follower ({@code logs} with {@code follow}) that is slower than the task does not
 * lose messages: while it is behind, the buffer keeps what it has not read yet, up to
 * {@code log-follow-lag} more (default 64m, each message counting its data plus 128 bytes). Those
 * extra messages are for that follower only (a new reader still sees the window) and are dropped as
 * soon as it has read them or its {@code logs} call ended in any way, interruption included. A
 * follower that falls further behind misses the oldest messages and is told so, never silently: it
 * receives one stderr message with the task's context, {@code taskexec: N log messages were dropped
 * because this reader fell behind; raise -o log-follow-lag (now B bytes)}, where the missed
 * messages were (whatever {@code streams} it asked for). With the {@code state-dir} option the raw output also goes to
 * {@code <state-dir>/<container id>/stdout.log} and {@code stderr.log} ({@code tty.log} with a
 * PTY), deleted by {@code remove}. {@code await} returns only after both streams reached their end,
 * so the last lines are never lost, but waits at most two seconds for that after the exit, in case
 * a stray process outside the task's group holds the output open.
 *
 * <h2>PTY and native code</h2>
 * A PTY starts at 80 columns by 24 rows. pty4j and JNA load native code: pty4j extracts its
 * library under {@code java.io.tmpdir} unless the system property {@code pty4j.tmpdir} names
 * another directory, and on JDK 24 and newer the JVM warns about native access unless it runs
 * with {@code --enable-native-access=ALL-UNNAMED} (or the jar's manifest says
 * {@code Enable-Native-Access: ALL-UNNAMED}).
 *
 * <h2>Threads</h2>
 * Each running task occupies two reader threads (one with a PTY) and, when started with
 * {@code posix_spawn}, a third blocked in {@code waitpid}, all taken from a cached pool of platform
 * daemon threads per executor: a blocking pipe or PTY read would pin a virtual thread's carrier,
 * and reuse keeps thread creation off a task's start. Otherwise the exit is learned from
 * {@link java.lang.Process#onExit()}, on the JDK's (or pty4j's) own threads.
 * {@code Executor.close} shuts the pool down; its threads end with their streams.
 */
package dev.taskexec.executor.process;
