/**
 * Turns a JMH JSON result file into the Markdown table of the project's figures: benchmark,
 * parameters, mode, score, error, unit, bytes allocated per operation and the cost ratio to
 * each baseline, under the convention of {@link dev.taskexec.benchmarks} (applied by
 * {@link dev.taskexec.benchmarks.report.Baselines}). Entry point:
 * {@link dev.taskexec.benchmarks.report.Report}. It reads JSON with a small reader of its own
 * so the benchmark jar carries no extra library into every fork.
 */
package dev.taskexec.benchmarks.report;
