#!/usr/bin/env bash
# The per-task cost of the process backend's survival mechanism (issue 12): starts N `sleep 600`
# tasks (default 1000) on a process executor with a state-dir, so each runs under its shim, and
# prints the processes per task and the shims' memory (RSS and PSS), then stops them.
#
#   benchmarks/process-survival-cost.sh [N]
#
# Builds the modules it needs (not installed into ~/.m2) and runs on their classes.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
cd "$root"
# in the reactor, sibling modules resolve to their target/classes
bin/with-jdk ./mvnw -B -q -pl benchmarks -am compile dependency:build-classpath -DskipTests \
    -Dmdep.outputFile=target/survival-cost.classpath -Dmdep.includeScope=runtime >/dev/null
cp="benchmarks/target/classes:$(cat benchmarks/target/survival-cost.classpath)"
ulimit -n 65536 2>/dev/null || true
exec "$(bin/with-jdk --print)/bin/java" -cp "$cp" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    dev.taskexec.benchmarks.process.SurvivalCost "${1:-1000}"
