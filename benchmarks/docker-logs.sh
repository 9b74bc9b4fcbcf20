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
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
jar="$here/target/benchmarks.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root" -name target -prune -o -name .git -prune -o \
        \( -name '*.java' -o -name pom.xml \) -newer "$jar" -print -quit)" ]; then
    echo "docker-logs.sh: building $jar" >&2
    (cd "$root" && bin/with-jdk ./mvnw -B -q -pl benchmarks -am package -DskipTests)
fi
java_home=$("$root/bin/with-jdk" --print)
exec "$java_home/bin/java" --enable-native-access=ALL-UNNAMED -cp "$jar" \
    dev.taskexec.benchmarks.docker.PairedLogReads "$@"
