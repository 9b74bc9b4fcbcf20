#!/usr/bin/env bash
# The Docker backend's log read against direct docker-java streaming, alternated read for read
# (dev.taskexec.benchmarks.docker.PairedLogReads): the steady comparison for issue 15's target
# (the executor at >= 0.9x docker-java's bytes/s), where JMH's one-method-after-the-other runs of
# DockerLogThroughput have errors as large as the difference on a busy 2-core machine.
#
#   benchmarks/docker-logs.sh [PAIRS] [OUTPUT...]    defaults: 60 pairs (half warm up), 100x1048576 2x131072
#
# Needs a Docker daemon and taskexec-test:latest (scripts/docker-test-env.sh up). About a minute.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/driver.sh" dev.taskexec.benchmarks.docker.PairedLogReads "$@"
