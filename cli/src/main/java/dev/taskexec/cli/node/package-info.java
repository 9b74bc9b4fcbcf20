/**
 * {@code taskexec node}: a swarm worker node in the foreground ({@code join}) and the removal of its
 * local identity ({@code leave}), on top of {@code taskexec-agent}'s {@link dev.taskexec.agent.SwarmNode}.
 *
 * <p>Ctrl-C (or SIGTERM) stops the node without telling the swarm: the manager marks it Down once
 * three heartbeat periods pass without a beat (about 15 s by default), the replicated orchestrator
 * then shuts the node's tasks down in its records and places replacements on other nodes (a task
 * pinned to this node stays pending), global services wait for the node, and after 24 h Down its
 * remaining tasks are marked orphaned. The tasks' local processes or containers are closed with the
 * worker, not removed. A later {@code node join} with the same state directory is the same node
 * again, without a token, and receives the manager's current view of its tasks.
 */
package dev.taskexec.cli.node;
