/**
 * {@code taskexec conformance}: certifies an installed backend with the conformance kit's
 * {@code ConformanceRunner}, with progress, a summary table, a JSON report and an exit code that
 * says whether it conforms.
 */
package dev.taskexec.cli.conformance;
