#!/usr/bin/env bash
# The Docker executor's request transport on a Unix socket (UnixSocketTransport, the JDK's socket
# channels) against docker-java's Apache HttpClient 5 transport, in one JVM, alternated round by
# round (dev.taskexec.executor.docker.TransportRequests): ms a request for an image inspect and for
# a container's create, start and inspect, cold (the first round) and warm (the median of the rest).
#
#   benchmarks/docker-transport.sh [ROUNDS]    default 6 rounds (300 image inspects and 8 containers
#                                              per transport a round)
#
# Needs a Docker daemon and taskexec-test:latest (scripts/docker-test-env.sh up). About a minute.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/driver.sh" dev.taskexec.executor.docker.TransportRequests "$@"
