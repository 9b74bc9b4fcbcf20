#!/usr/bin/env bash
# Runs taskexec's JMH benchmarks and writes JSON results plus a Markdown report.
#
#   benchmarks/run.sh [quick|full] [PATTERN]
#
#   quick    smoke run for CI: every benchmark in this JVM (no fork), no warmup,
#            one 300 ms iteration; fails on the first benchmark error; the
#            figures are not for quoting.
#            Must stay under two minutes on a 2-core machine.
#   full     the figures: each class's own @Fork/@Warmup/@Measurement settings.
#   PATTERN  a JMH include regex (e.g. 'lifecycle' or 'process\..*Spawn'); default: all.
#
# Writes benchmarks/results/<mode>-<UTC date>.json (JMH -rf json, with -prof gc),
# the same name with .md (the report, also printed) and .log (JMH's output).
# Exits non-zero when any benchmark failed.
#
# Benchmarks under dev.taskexec.benchmarks.docker need a Docker daemon, the
# docker CLI and the image taskexec-test:latest; they are skipped, with a
# notice, when `docker info` fails or the image is missing.
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
started=$(date +%s) # the budget below is the benchmarks', not the build's

excludes=()
docker_note=""
case "${TASKEXEC_BENCH_DOCKER:-auto}" in
  run) ;;
  skip) excludes=(-e 'dev\.taskexec\.benchmarks\.docker\.'); docker_note="docker benchmarks skipped (TASKEXEC_BENCH_DOCKER=skip)" ;;
  auto)
    if ! command -v docker >/dev/null 2>&1 || ! timeout 20 docker info >/dev/null 2>&1; then
      excludes=(-e 'dev\.taskexec\.benchmarks\.docker\.')
      docker_note="docker benchmarks skipped: no Docker daemon answered 'docker info'"
    elif ! timeout 20 docker image inspect taskexec-test:latest >/dev/null 2>&1; then
      excludes=(-e 'dev\.taskexec\.benchmarks\.docker\.')
      docker_note="docker benchmarks skipped: no image taskexec-test:latest (scripts/docker-test-env.sh up builds it)"
    fi ;;
  *) echo "run.sh: TASKEXEC_BENCH_DOCKER must be auto, run or skip" >&2; exit 2 ;;
esac
[ -z "$docker_note" ] || echo "run.sh: $docker_note" >&2

case "$mode" in
  # One short measurement iteration, no warmup, per benchmark and @Param
  # combination, all in this JVM (-f 0): enough to run every @Setup check and
  # code path and to catch a benchmark that broke, not to measure. A fork per
  # benchmark would cost a JVM start-up each, more than the runs themselves
  # (measured: 48 s instead of 21 s for the lifecycle classes). -foe stops at
  # the first benchmark that throws; -to interrupts one that hangs.
  quick) opts=(-f 0 -wi 0 -i 1 -r 300ms -to 30s -foe true) ;;
  # Each class's annotations decide; -foe false so one failing benchmark does
  # not throw away the figures of the others (its error is in the log).
  full) opts=(-foe false) ;;
esac

mkdir -p "$here/results"
stamp=$(date -u +%Y%m%d-%H%M%S)
json="$here/results/$mode-$stamp.json"
md="$here/results/$mode-$stamp.md"
log="$here/results/$mode-$stamp.log"
command="benchmarks/run.sh $mode${pattern:+ '$pattern'}"

args=()
[ -z "$pattern" ] || args+=("$pattern")
args+=("${excludes[@]}" "${opts[@]}" -prof gc -rf json -rff "$json")
echo "run.sh: java -jar benchmarks/target/benchmarks.jar ${args[*]}" >&2
# JMH refuses to start while another JMH run on this machine holds /tmp/jmh.lock
# (two runs would spoil each other's figures); wait for it, up to 20 minutes.
waited=0
while :; do
  set +e
  "$jdk" java -jar "$jar" "${args[@]}" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  if [ "$rc" -ne 0 ] && grep -q 'Unable to acquire the JMH lock' "$log" && [ "$waited" -lt 1200 ]; then
    echo "run.sh: another JMH run holds /tmp/jmh.lock; waiting for it (${waited}s so far)" >&2
    sleep 15
    waited=$((waited + 15))
    continue
  fi
  break
done
[ "$rc" -eq 0 ] || { echo "run.sh: JMH failed (exit $rc); its output is in $log" >&2; exit "$rc"; }

if [ ! -s "$json" ]; then
  echo "run.sh: JMH wrote no results to $json" >&2
  exit 1
fi
"$jdk" java -cp "$jar" dev.taskexec.benchmarks.report.Report "$json" --out "$md" --command "$command"
[ -z "$docker_note" ] || printf '\nNote: %s.\n' "$docker_note" | tee -a "$md"

# With -foe false (full), JMH carries on past a benchmark that throws and
# leaves it out of the JSON; name it here, so a missing row is never silent.
failed=$(awk '/^# Benchmark: /{b=$3; p=""} /^# Parameters: /{p=" " substr($0, 15)}
              /<failure>/{print b p}' "$log" | sort -u)
if [ -n "$failed" ]; then
  { printf '\n**Failed** (no figures; errors in %s):\n' "${log#$root/}"
    while IFS= read -r name; do printf -- '- `%s`\n' "$name"; done <<<"$failed"; } | tee -a "$md"
fi
took=$(( $(date +%s) - started - waited )) # not counting a wait for the JMH lock
[ -z "$failed" ] || { echo "run.sh: some benchmarks failed; see $log" >&2; exit 1; }
echo "run.sh: $mode run took ${took}s (after any build); results: ${json#$root/}, report: ${md#$root/}" >&2
if [ "$mode" = quick ] && [ -z "$pattern" ] && [ "$took" -gt 120 ]; then
  echo "run.sh: warning: quick took over its 2-minute budget; see the slowest benchmarks in the log above" \
       "and give them fewer @Param combinations or shorter operations (benchmarks/README.md)" >&2
fi
