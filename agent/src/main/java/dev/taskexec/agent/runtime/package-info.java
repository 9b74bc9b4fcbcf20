/**
 * How a swarm task, always written as a {@code ContainerSpec}, becomes a task a given backend can
 * run, and how the node's secrets and configs become files that task can read.
 *
 * <p>The mechanism is a task-spec rewrite in the agent, before the task reaches the worker
 * ({@link dev.taskexec.agent.runtime.TaskMapping}), rather than a new backend capability: the
 * bundled backends need no change, and a third-party backend gets
 * {@link dev.taskexec.agent.runtime.TaskMapping#passThrough()} (or its own mapping). A mapping
 * that refuses a task makes the node report it REJECTED with the field named.
 */
package dev.taskexec.agent.runtime;
