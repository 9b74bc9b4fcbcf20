/**
 * A Docker Swarm worker node on top of {@code taskexec-core}: it joins a swarm through
 * swarmkit's CA, holds a dispatcher session with a manager, runs the tasks the manager assigns
 * on any taskexec executor, reports their statuses and serves their logs to {@code docker
 * service logs}.
 */
package dev.taskexec.agent;
