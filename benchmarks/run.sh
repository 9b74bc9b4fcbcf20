#!/usr/bin/env bash
# Runs taskexec's JMH benchmarks and writes JSON results plus a Markdown report.
#
#   benchmarks/run.sh [quick|full] [PATTERN]
#
#   quick    smoke run for CI: every benchmark once, 1 fork, short iterations,
#            fails on the first benchmark error; the figures are not for quoting.
#            Must stay under two minutes on a 2-core machine.
#   full     the figures: each class's own @Fork/@Warmup/@Measurement settings.
#   PATTERN  a JMH include regex (e.g. 'lifecycle' or 'process\..*Spawn'); default: all.
#
# Writes benchmarks/results/<mode>-<UTC date>.json (JMH -rf json, with -prof gc)
# and the same name with .md (the report), and prints the report.
#
# Benchmarks under dev.taskexec.benchmarks.docker need a Docker daemon and the
# docker CLI; they are skipped, with a notice, when `docker info` fails.
# TASKEXEC_BENCH_DOCKER=skip skips them anyway, =run runs them without the check.
#
# The shaded jar is (re)built when it is missing or older than any source or POM.
set -euo pipefail

usage() { echo "usage: benchmarks/run.sh [quick|full] [PATTERN]" >&2; exit 2; }

mode=${1:-quick}
pattern=${2:-}
[ $# -le 2 ] || usage
case "$mode" in quick|full) ;; -h|--help) usage ;; *) echo "run.sh: unknown mode '$mode'" >&2; usage ;; esac

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
jar="$here/target/benchmarks.jar"
jdk="$root/bin/with-jdk"
started=$(date +%s)

stale() {
  [ -f "$jar" ] || return 0
  [ -n "$(find "$root" -name target -prune -o -name .git -prune -o \
      \( -name '*.java' -o -name '*.proto' -o -name pom.xml -o -path '*/src/main/resources/*' \) \
      -newer "$jar" -print -quit)" ]
}
if stale; then
  echo "run.sh: building $jar" >&2
  (cd "$root" && "$jdk" ./mvnw -B -q -pl benchmarks -am package -DskipTests)
fi

excludes=()
docker_note=""
case "${TASKEXEC_BENCH_DOCKER:-auto}" in
  run) ;;
  skip) excludes=(-e 'dev\.taskexec\.benchmarks\.docker\.'); docker_note="docker benchmarks skipped (TASKEXEC_BENCH_DOCKER=skip)" ;;
  auto)
    if ! command -v docker >/dev/null 2>&1 || ! timeout 20 docker info >/dev/null 2>&1; then
      excludes=(-e 'dev\.taskexec\.benchmarks\.docker\.')
      docker_note="docker benchmarks skipped: no Docker daemon answered 'docker info'"
    fi ;;
  *) echo "run.sh: TASKEXEC_BENCH_DOCKER must be auto, run or skip" >&2; exit 2 ;;
esac
[ -z "$docker_note" ] || echo "run.sh: $docker_note" >&2

case "$mode" in
  # One fork, one short warmup and one short measurement per benchmark and
  # @Param combination: enough to run every code path under the JIT and catch a
  # benchmark that broke. -foe stops at the first benchmark that throws.
  quick) opts=(-f 1 -wi 1 -w 400ms -i 1 -r 400ms -to 30s -foe true) ;;
  # Each class's annotations decide; -foe false so one failing benchmark does
  # not throw away the figures of the others (its error is in the log).
  full) opts=(-foe false) ;;
esac

mkdir -p "$here/results"
stamp=$(date -u +%Y%m%d-%H%M%S)
json="$here/results/$mode-$stamp.json"
md="$here/results/$mode-$stamp.md"
command="benchmarks/run.sh $mode${pattern:+ '$pattern'}"

args=()
[ -z "$pattern" ] || args+=("$pattern")
args+=("${excludes[@]}" "${opts[@]}" -prof gc -rf json -rff "$json")
echo "run.sh: java -jar benchmarks/target/benchmarks.jar ${args[*]}" >&2
"$jdk" java -jar "$jar" "${args[@]}"

if [ ! -s "$json" ]; then
  echo "run.sh: JMH wrote no results to $json" >&2
  exit 1
fi
"$jdk" java -cp "$jar" dev.taskexec.benchmarks.report.Report "$json" --out "$md" --command "$command"
[ -z "$docker_note" ] || printf '\nNote: %s.\n' "$docker_note" | tee -a "$md"
echo "run.sh: $mode run took $(( $(date +%s) - started ))s; results: ${json#$root/}, report: ${md#$root/}" >&2
