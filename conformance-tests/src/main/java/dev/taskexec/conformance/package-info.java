/**
 * The taskexec conformance kit: the rules every executor backend must obey
 * ({@code conformance-tests/RULES.md}), checked by example tests and QuickTheories
 * property tests that drive the backend through {@code dev.taskexec.core.Lifecycle}
 * exactly as an agent does.
 *
 * <p>Public API, stable: {@link dev.taskexec.conformance.ExecutorConformance} (extend
 * it in a JUnit 5 test), {@link dev.taskexec.conformance.Workloads} (how the backend
 * runs the kit's workloads), {@link dev.taskexec.conformance.Capability},
 * {@link dev.taskexec.conformance.ResourceProbe}, {@link dev.taskexec.conformance.Rule}
 * and {@link dev.taskexec.conformance.Rules}, and {@link dev.taskexec.conformance.ConformanceRunner}
 * with its {@link dev.taskexec.conformance.ConformanceReport}.
 *
 * <p>Decisions the contract leaves open, as the kit takes them:
 * <ul>
 * <li>Every call into a backend has a deadline and runs on a kit-owned platform
 *     daemon thread; a call that misses it fails the rule, is interrupted, and is
 *     abandoned. A backend that ignores interruption leaks that thread, not the build.</li>
 * <li>An optional rule is skipped only when the backend does not declare its
 *     capability; declaring a capability and not implementing it fails the rule.</li>
 * <li>The kit cannot see a backend's processes or containers on its own: the
 *     probe-based resource rules are skipped without a {@code ResourceProbe}, and the
 *     report says so, rather than passing vacuously.</li>
 * <li>A report "conforms" when no rule failed; skipped rules are listed separately.</li>
 * </ul>
 */
package dev.taskexec.conformance;
