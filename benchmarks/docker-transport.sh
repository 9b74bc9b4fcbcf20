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
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
jar="$here/target/benchmarks.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root" -name target -prune -o -name .git -prune -o \
        \( -name '*.java' -o -name pom.xml \) -newer "$jar" -print -quit)" ]; then
    echo "docker-transport.sh: building $jar" >&2
    (cd "$root" && bin/with-jdk ./mvnw -B -q -pl benchmarks -am package -DskipTests)
fi
java_home=$("$root/bin/with-jdk" --print)
exec "$java_home/bin/java" --enable-native-access=ALL-UNNAMED -cp "$jar" \
    dev.taskexec.executor.docker.TransportRequests "$@"
