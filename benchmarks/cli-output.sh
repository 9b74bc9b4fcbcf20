#!/usr/bin/env bash
# Compares `taskexec run` on the process backend with the same shell pipeline run without
# taskexec, output to `wc -c`, as issue 15 measured it: elapsed seconds, bytes counted and the
# taskexec JVM's peak RSS (from /usr/bin/time). One run each; repeat it to see the spread.
#
#   benchmarks/cli-output.sh [quick]
#
# quick: 50 MB of each instead of the full sizes (500 MB of 100-byte lines, 200 MB of `yes`,
# 2 GB of `yes`, a 100 MB line without a newline).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
taskexec="$root/bin/taskexec"
scale=1
[ "${1:-}" = quick ] && scale=0

mb() { if [ "$scale" = 1 ]; then echo "$1"; else echo 50000000; fi; }
line99=$(printf 'x%.0s' $(seq 1 99))
cases=(
  "100-byte lines|yes $line99 | head -c $(mb 500000000)"
  "2-byte lines|yes | head -c $(mb 200000000)"
  "2-byte lines, 2 GB|yes | head -c $(mb 2000000000)"
  "one line, no newline|head -c $(mb 100000000) /dev/zero | tr '\\0' a"
)
"$taskexec" executors >/dev/null # builds the jar first, outside the timings
printf '| case | raw s | raw bytes | taskexec s | taskexec bytes | taskexec / raw time | peak RSS MB | messages told dropped |\n|---|---:|---:|---:|---:|---:|---:|---:|\n'
for c in "${cases[@]}"; do
  name=${c%%|*}; script=${c#*|}
  t0=$(date +%s.%N); raw=$(sh -c "$script" | wc -c); t1=$(date +%s.%N)
  rss_file=$(mktemp)
  t2=$(date +%s.%N)
  err_file=$(mktemp)
  got=$(/usr/bin/time -f %M -o "$rss_file" "$taskexec" run -- sh -c "$script" 2>"$err_file" | wc -c)
  dropped=$(sed -n 's/.*taskexec: \([0-9]*\) log messages* w[ae][sr]e* dropped.*/\1/p' "$err_file" | paste -sd+ | sed 's/^$/0/' | bc)
  rm -f "$err_file"
  t3=$(date +%s.%N)
  rss=$(( $(tail -1 "$rss_file") / 1024 )); rm -f "$rss_file"
  printf '| %s | %.2f | %s | %.2f | %s | %.1f× | %s | %s |\n' "$name" "$(echo "$t1 - $t0" | bc)" "$raw" \
    "$(echo "$t3 - $t2" | bc)" "$got" "$(echo "($t3 - $t2) / ($t1 - $t0)" | bc -l)" "$rss" "$dropped"
done
