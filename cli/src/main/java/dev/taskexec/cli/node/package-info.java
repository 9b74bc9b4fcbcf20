/**
 * {@code taskexec node}: a swarm worker node in the foreground ({@code join}) and the removal of its
 * local identity ({@code leave}), on top of {@code taskexec-agent}'s {@link dev.taskexec.agent.SwarmNode}.
 *
 * <p>Ctrl-C (or SIGTERM) stops the node without telling the swarm: the manager marks it Down once
 * three heartbeat periods pass without a beat (about 15 s by default), the replicated orchestrator
 * then shuts the node's tasks down in its records and places replacements on other nodes (a task
 * pinned to this node stays pending), global services wait for the node, and after 24 h Down its
 * remaining tasks are marked orphaned.
 *
 * <p>The tasks themselves run on while the node is stopped: containers do, and on the
 * {@code process} backend each task runs under a shim in {@code <state-dir>/process-tasks} (unless
 * {@code -o state-dir} names another place). The node keeps its tasks in {@code <state-dir>/tasks}
 * (SQLite), so a later {@code node join} with the same state directory is the same node again,
 * without a token, and takes its tasks up where it left them: one still running is awaited, not
 * started again; one that ended meanwhile reports its true end and exit code; what the backend
 * holds for a task the store does not know is reaped. The manager's first, complete assignment
 * then settles which tasks stay: those it placed elsewhere meanwhile are stopped and removed.
 * Restarted before it is marked Down, the node's tasks are, for the swarm, never interrupted.
 */
package dev.taskexec.cli.node;
