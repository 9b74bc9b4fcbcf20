/**
 * The node's session with the swarm: registration with a manager's dispatcher, heartbeats,
 * assignments mapped onto a {@code Worker}, status reports and the log broker. It reaches managers
 * only through {@link dev.taskexec.agent.session.ManagerChannels}, so it knows nothing of
 * certificates, and tells the identity layer what it learns through
 * {@link dev.taskexec.agent.session.SessionObserver}.
 */
package dev.taskexec.agent.session;
