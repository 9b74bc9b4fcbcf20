/**
 * The kit's machinery: the checks of each rule family, the task driver that plays
 * the agent's part, deadlines and polling. Not API: its types are public only so
 * the kit's public classes can use them, and they may change in any release.
 */
package dev.taskexec.conformance.check;
