#!/usr/bin/env bash
# Runs one of the benchmarks jar's comparison drivers (a class with a main method, not JMH),
# building the jar first when a source or pom is newer than it. What the comparison scripts share.
#
#   benchmarks/driver.sh CLASS [ARGS...]
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: benchmarks/driver.sh CLASS [ARGS...]" >&2; exit 2; }
class=$1
shift
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
jar="$here/target/benchmarks.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root" -name target -prune -o -name .git -prune -o \
        \( -name '*.java' -o -name pom.xml \) -newer "$jar" -print -quit)" ]; then
    echo "driver.sh: building $jar" >&2
    (cd "$root" && bin/with-jdk ./mvnw -B -q -pl benchmarks -am package -DskipTests)
fi
java_home=$("$root/bin/with-jdk" --print)
exec "$java_home/bin/java" --enable-native-access=ALL-UNNAMED -cp "$jar" "$class" "$@"
