/** {@code taskexec executors}: the backends installed, and whether each can run tasks here. */
package dev.taskexec.cli.executors;
