#!/usr/bin/env bash
# The taskexec swarm node against the Engine's own swarm agent, on one machine's Docker Engine.
#
#   benchmarks/swarm-node.sh [N]          latency: time from `docker service create` to the task
#                                         RUNNING and to COMPLETE, N services per node and measure
#                                         (default 10), on the Engine's agent, a taskexec node on the
#                                         docker backend and one on the process backend, same run,
#                                         after WARMUP (default 10) unmeasured services of each kind
#                                         on each
#   benchmarks/swarm-node.sh exits [N]    where the time to COMPLETE goes: N `true` services on the
#                                         Engine's agent and on a taskexec node (docker backend), in
#                                         turn, timed against the Engine's own container events:
#                                         medians from the service's creation to the container's
#                                         create, start and die events and to the COMPLETE stamp
#   benchmarks/swarm-node.sh load [N]     N running tasks (default 1000, `sleep`) on a taskexec node
#                                         on the process backend: the time until all run, and the
#                                         node's state in `docker node ls` once a second from the
#                                         service's creation until WATCH s (default 60) after the
#                                         last task ran; any state other than Ready (a missed
#                                         heartbeat makes it Down) fails the run
#   benchmarks/swarm-node.sh cpu [N]      CPU a task costs: N `true` services (default 40), one after
#                                         the other, on a taskexec node (docker backend) after WARMUP
#                                         (here default 20) unmeasured ones; the node JVM's and
#                                         dockerd's user and system time per task, from /proc. With
#                                         TASKEXEC_JAVA_OPTS set, the node runs with those options
#   benchmarks/swarm-node.sh jvm [N]      JVM options compared: two taskexec nodes (docker backend),
#                                         A with $A_OPTS and B with $B_OPTS, and the Engine's agent,
#                                         N rounds of one `sleep` service each to RUNNING (default
#                                         10) after WARMUP of each kind; paired ratios B/A and each
#                                         to the agent, with 95 % bootstrap intervals
#   benchmarks/swarm-node.sh engine [N]   the Engine's own time to create and to start a container,
#                                         for the Engine's agent and for a taskexec node (docker
#                                         backend): phases of N `true` services (default 20) on
#                                         one, then the other, three times each, after WARMUP on
#                                         each; the mean of each phase from dockerd's metrics. Needs
#                                         a dockerd started with `--metrics-addr 127.0.0.1:9323
#                                         --experimental` (DOCKERD_FLAGS="…" scripts/docker-test-env.sh up)
#
# Needs a Docker Engine that is NOT in swarm mode (it makes its own swarm on 127.0.0.1:2377 and
# always leaves it), the image taskexec-test:latest (scripts/docker-test-env.sh up) and a JDK 21+.
# Latency start: the service's CreatedAt; end: the task's status timestamp when it reached RUNNING
# (a `sleep` service) or COMPLETE (a `true` service), stamped by the manager's and the nodes' clocks
# on this one machine. Prints median and max per node and measure, in milliseconds, and for each
# taskexec node the median of its per-round ratios to the Engine's agent with a 95 % bootstrap
# interval.
#
# Each service is measured on a settled machine: after `docker service rm` the script waits until
# the task's container (or process) is gone, so that no task's teardown lands in the next one's
# measurement. Services stop with SIGKILL: busybox's `sleep` runs as its container's pid 1, which
# ignores SIGTERM, so every stop would otherwise wait out the 10 s grace period and tear down in
# the middle of a later service. Within a round the nodes take turns in a rotating order, so each
# follows each of the others equally often. The script polls a task's state through one API call a
# tenth of a second; the poll's timing does not enter the figures (the task's own stamp does).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=latency
case "${1:-}" in load | exits | cpu | jvm | engine) mode=$1; shift ;; esac
case $mode in load) N="${1:-1000}" ;; cpu) N="${1:-40}" ;; *) N="${1:-10}" ;; esac
IMAGE="${TASKEXEC_TEST_IMAGE:-taskexec-test:latest}"
if [ "$mode" = cpu ]; then WARMUP="${WARMUP:-20}"; else WARMUP="${WARMUP:-10}"; fi
WATCH="${WATCH:-60}"

if [ "$(docker info --format '{{.Swarm.LocalNodeState}}')" != inactive ]; then
    echo "swarm-node.sh: the Docker Engine is already in swarm mode; it is not this script's to change" >&2
    exit 1
fi
tmp=$(mktemp -d)
pids=()
cleanup() {
    docker service ls -q --filter label=dev.taskexec.bench=swarm-node | xargs -r docker service rm >/dev/null 2>&1 || true
    # the nodes stop their removed tasks; give them a moment before they are stopped themselves
    for _ in $(seq 1 60); do
        [ -z "$(docker service ls -q --filter label=dev.taskexec.bench=swarm-node)" ] && break
        sleep 1
    done
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    # a node's process tasks outlive it (shims under its state directory): leave stops what is left
    for state in "$tmp"/taskexec-bench-*/; do
        [ -d "$state" ] && bin/taskexec node leave --state-dir "$state" >/dev/null 2>&1 || true
    done
    for id in "$tmp"/taskexec-bench-*.id; do
        [ -f "$id" ] && docker ps -aq --filter "label=dev.taskexec.node.id=$(cat "$id")" | xargs -r docker rm -f >/dev/null 2>&1 || true
    done
    docker swarm leave --force >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

docker swarm init --advertise-addr 127.0.0.1 --listen-addr 127.0.0.1:2377 >/dev/null
engine_node=$(docker info --format '{{.Swarm.NodeID}}')
token=$(docker swarm join-token -q worker)

# join BACKEND HOSTNAME [JVM_OPTIONS]: starts a taskexec node (in this shell, so that cleanup can
# stop it; its JVM runs with TASKEXEC_JAVA_OPTS, or JVM_OPTIONS when given) and writes its node id,
# once Ready, to $tmp/HOSTNAME.id.
join() {
    local backend=$1 host=$2 id=""
    local opts=${3-${TASKEXEC_JAVA_OPTS:-}}
    TASKEXEC_JAVA_OPTS="$opts" bin/taskexec node join -e "$backend" --advertise-hostname "$host" --state-dir "$tmp/$host" \
        --token "$token" 127.0.0.1:2377 >"$tmp/$host.log" 2>&1 &
    pids+=($!)
    echo $! >"$tmp/$host.pid"
    for _ in $(seq 1 120); do
        id=$(docker node ls --filter "name=$host" --format '{{.ID}} {{.Hostname}} {{.Status}}' \
            | awk -v h="$host" '$2==h && $3=="Ready"{print $1}')
        [ -n "$id" ] && break
        sleep 1
    done
    [ -n "$id" ] || { echo "swarm-node.sh: the $backend node did not become Ready; its log:" >&2; cat "$tmp/$host.log" >&2; exit 1; }
    echo "$id" >"$tmp/$host.id"
}

# one NODE STATE COMMAND...: prints milliseconds from service creation to the task reaching STATE,
# and leaves "TASK CREATED REACHED" (nanoseconds) in $tmp/last for a caller that wants more. Returns
# once the task has left nothing behind on the node (see the header).
one() {
    local node=$1 state=$2; shift 2
    local name="bench-$RANDOM$RANDOM"
    docker service create --detach --quiet --name "$name" --label dev.taskexec.bench=swarm-node \
        --constraint "node.id==$node" --restart-condition none --stop-signal KILL \
        --no-resolve-image "$IMAGE" "$@" >/dev/null
    local task="" reached_state=""
    for _ in $(seq 1 600); do
        if [ -z "$task" ]; then
            task=$(docker service ps -q "$name" | head -1)
        fi
        if [ -n "$task" ]; then
            reached_state=$(docker inspect --type task --format '{{.Status.State}}' "$task")
            [ "$reached_state" = "$state" ] && break
        fi
        sleep 0.1
    done
    [ "$reached_state" = "$state" ] || { echo "swarm-node.sh: $name did not reach $state" >&2; exit 1; }
    local created reached
    created=$(docker service inspect --format '{{.CreatedAt.UnixNano}}' "$name")
    reached=$(docker inspect --type task --format '{{.Status.Timestamp.UnixNano}}' "$task")
    docker service rm "$name" >/dev/null
    settle "$task"
    echo "$task $created $reached" >"$tmp/last"
    echo $(( (reached - created) / 1000000 ))
}

# settle TASK: waits (at most 30 s) until no container and no process of the task is left: the
# Engine's agent's and the docker node's containers carry the task id in a label, the process
# node's task runs under a shim given the task's folder, named by the hex SHA-256 of
# "taskexec-process/" and the task id.
settle() {
    local task=$1 folder
    folder=$(printf 'taskexec-process/%s' "$task" | sha256sum | cut -c1-64)
    for _ in $(seq 1 300); do
        if ! docker ps -a --format '{{.Label "com.docker.swarm.task.id"}} {{.Label "dev.taskexec.task.id"}}' \
            | grep -qw -- "$task" && ! pgrep -f "taskexec-shim .*/$folder" >/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    echo "swarm-node.sh: task $task still left something behind 30 s after its service was removed" >&2
    exit 1
}

# warm_up NODE...: WARMUP unmeasured services of each kind on each node in turn, as every JVM
# benchmark warms up: the nodes' JVMs run their task path interpreted until it has run a few
# hundred times, while the Engine's agent is compiled ahead of time (it warms up too, for its
# caches). WARMUP=0 measures cold nodes.
warm_up() {
    for _ in $(seq 1 "$WARMUP"); do
        for node in "$@"; do
            one "$node" running sleep 30 >/dev/null
            one "$node" complete true >/dev/null
        done
    done
}

if [ "$mode" = load ]; then
    join process taskexec-bench-process
    process_node=$(cat "$tmp/taskexec-bench-process.id")
    node_pid=$(cat "$tmp/taskexec-bench-process.pid")
    name="bench-load-$RANDOM"
    start=$(date +%s)
    docker service create --detach --quiet --name "$name" --label dev.taskexec.bench=swarm-node \
        --constraint "node.id==$process_node" --restart-condition none --replicas "$N" \
        --no-resolve-image "$IMAGE" sleep 3600 >/dev/null
    not_ready=0 running=0 all_at="" peak_threads=0 peak_rss=0
    while :; do
        now=$(date +%s)
        state=$(docker node inspect --format '{{.Status.State}}' "$process_node")
        [ "$state" = ready ] || { not_ready=$((not_ready + 1)); echo "$(date +%T) node state: $state" >&2; }
        running=$(docker service ps --filter desired-state=running --format '{{.CurrentState}}' "$name" | grep -c '^Running' || true)
        threads=$(ls "/proc/$node_pid/task" 2>/dev/null | wc -l)
        rss=$(awk '/VmRSS/{print $2}' "/proc/$node_pid/status" 2>/dev/null || echo 0)
        [ "$threads" -gt "$peak_threads" ] && peak_threads=$threads
        [ "${rss:-0}" -gt "$peak_rss" ] && peak_rss=$rss
        if [ -z "$all_at" ] && [ "$running" -ge "$N" ]; then all_at=$now; fi
        if [ -n "$all_at" ] && [ $((now - all_at)) -ge "$WATCH" ]; then break; fi
        if [ -z "$all_at" ] && [ $((now - start)) -ge 300 ]; then
            echo "swarm-node.sh: only $running of $N tasks running after 300 s" >&2; exit 1
        fi
        sleep 1
    done
    # removing the service: the node stops every task (its shim is the task's trace on this host)
    docker service rm "$name" >/dev/null
    rm_at=$(date +%s)
    while [ "$(pgrep -fc "taskexec-shim $tmp/taskexec-bench-process" || true)" -gt 0 ]; do
        if [ $(( $(date +%s) - rm_at )) -ge 300 ]; then
            echo "swarm-node.sh: tasks still running 300 s after the service was removed" >&2; exit 1
        fi
        sleep 1
    done
    stopped=$(( $(date +%s) - rm_at ))
    printf 'taskexec node (process backend), %d tasks: all RUNNING after %d s; then %d s watched\n' "$N" $((all_at - start)) "$WATCH"
    printf 'all %d stopped %d s after docker service rm\n' "$N" "$stopped"
    printf 'node JVM: peak %d threads, peak RSS %d MiB; samples not Ready: %d\n' "$peak_threads" $((peak_rss / 1024)) "$not_ready"
    [ "$not_ready" -eq 0 ] || { echo "swarm-node.sh: the node was not Ready in $not_ready samples" >&2; exit 1; }
    exit 0
fi

if [ "$mode" = cpu ]; then
    join docker taskexec-bench-docker
    docker_node=$(cat "$tmp/taskexec-bench-docker.id")
    node_pid=$(cat "$tmp/taskexec-bench-docker.pid") # bin/taskexec execs the JVM: its pid
    dockerd_pid=$(pgrep -xo dockerd)
    for _ in $(seq 1 "$WARMUP"); do one "$docker_node" complete true >/dev/null; done
    # user and system clock ticks of a process, from /proc/PID/stat
    ticks() { awk '{print $14, $15}' "/proc/$1/stat"; }
    read -r nu0 ns0 < <(ticks "$node_pid"); read -r du0 ds0 < <(ticks "$dockerd_pid")
    for _ in $(seq 1 "$N"); do one "$docker_node" complete true >/dev/null; done
    read -r nu1 ns1 < <(ticks "$node_pid"); read -r du1 ds1 < <(ticks "$dockerd_pid")
    hz=$(getconf CLK_TCK)
    per() { echo $(( ($2 - $1) * 1000 / hz / N )); }
    printf 'CPU a task costs (ms, user + system), %s `true` services after %s unmeasured, JVM options [%s]:\n' \
        "$N" "$WARMUP" "${TASKEXEC_JAVA_OPTS:-}"
    printf '  taskexec node JVM (docker backend) %4d + %d\n' "$(per "$nu0" "$nu1")" "$(per "$ns0" "$ns1")"
    printf '  dockerd (Engine and swarm manager) %4d + %d\n' "$(per "$du0" "$du1")" "$(per "$ds0" "$ds1")"
    exit 0
fi

if [ "$mode" = engine ]; then
    metrics=http://127.0.0.1:9323/metrics
    curl -sf "$metrics" >/dev/null || {
        echo "swarm-node.sh: dockerd serves no metrics at $metrics; start it with --metrics-addr 127.0.0.1:9323 --experimental" >&2
        exit 1
    }
    join docker taskexec-bench-docker
    docker_node=$(cat "$tmp/taskexec-bench-docker.id")
    # action_seconds ACTION: dockerd's running sum (s) and count of a container action, one line
    action_seconds() {
        curl -s "$metrics" | awk -v a="$1" '$1 ~ "container_actions_seconds_(sum|count)\\{action=\""a"\"\\}" {printf "%s ", $2} END {print ""}'
    }
    for _ in $(seq 1 "$WARMUP"); do
        one "$engine_node" complete true >/dev/null
        one "$docker_node" complete true >/dev/null
    done
    printf '%-32s %12s %12s   (mean ms of a phase of %s services, from dockerd'"'"'s metrics)\n' node create start "$N"
    for who in engine docker engine docker engine docker; do
        node=$engine_node label="Engine's agent"
        [ "$who" = docker ] && node=$docker_node label="taskexec node (docker backend)"
        read -r cs0 cc0 < <(action_seconds create); read -r ss0 sc0 < <(action_seconds start)
        for _ in $(seq 1 "$N"); do one "$node" complete true >/dev/null; done
        read -r cs1 cc1 < <(action_seconds create); read -r ss1 sc1 < <(action_seconds start)
        awk -v l="$label" -v cs0="$cs0" -v cs1="$cs1" -v cc0="$cc0" -v cc1="$cc1" \
            -v ss0="$ss0" -v ss1="$ss1" -v sc0="$sc0" -v sc1="$sc1" \
            'BEGIN { printf "%-32s %12.1f %12.1f\n", l, (cs1 - cs0) * 1000 / (cc1 - cc0), (ss1 - ss0) * 1000 / (sc1 - sc0) }'
    done
    exit 0
fi

if [ "$mode" = exits ]; then
    join docker taskexec-bench-docker
    docker_node=$(cat "$tmp/taskexec-bench-docker.id")
    # the Engine stamps each container event; both nodes' containers carry their task's id
    docker events --filter type=container --format \
        '{{.TimeNano}} {{.Action}} {{index .Actor.Attributes "com.docker.swarm.task.id"}}{{index .Actor.Attributes "dev.taskexec.task.id"}}' \
        >"$tmp/events" &
    pids+=($!)
    : >"$tmp/rounds"
    orders=("engine docker" "docker engine") # taking turns first, as the latency rounds do
    for round in $(seq 1 "$N"); do
        for who in ${orders[$((round % 2))]}; do
            node=$engine_node
            [ "$who" = docker ] && node=$docker_node
            one "$node" complete true >/dev/null
            echo "$who $(cat "$tmp/last")" >>"$tmp/rounds"
        done
    done
    sleep 1 # the last events
    printf '%-32s %8s %8s %8s %9s %10s   (median ms, %s services each)\n' \
        "node" create start die COMPLETE "die->stamp" "$N"
    awk 'FNR == NR { if (!(($3, $2) in ev)) ev[$3, $2] = $1; next }
        { c = $3; who[$1] = 1; n[$1]++; k = n[$1]
          cr[$1, k] = (ev[$2, "create"] - c) / 1e6; st[$1, k] = (ev[$2, "start"] - c) / 1e6
          di[$1, k] = (ev[$2, "die"] - c) / 1e6; sp[$1, k] = ($4 - c) / 1e6
          ds[$1, k] = ($4 - ev[$2, "die"]) / 1e6 }
        function med(a, w, m,   i, j, t, v) { for (i = 1; i <= m; i++) v[i] = a[w, i]
          for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
          return v[int((m + 1) / 2)] }
        END { for (w in who) printf "%-32s %8.0f %8.0f %8.0f %9.0f %10.0f\n",
            (w == "engine" ? "Engine'"'"'s agent" : "taskexec node (docker backend)"),
            med(cr, w, n[w]), med(st, w, n[w]), med(di, w, n[w]), med(sp, w, n[w]), med(ds, w, n[w]) }' \
        "$tmp/events" "$tmp/rounds"
    exit 0
fi

stats() { sort -n | awk '{a[NR]=$1} END {printf "%6d %6d", a[int((NR+1)/2)], a[NR]}'; }

# paired_ratio: reads "NUMERATOR DENOMINATOR" pairs, one round each (a node's ms and the agent's,
# say), and prints the median of their ratios. Paired, because the same round's services met the
# same spell of the machine: steadier than the ratio of the medians.
paired_ratio() {
    awk '$2 > 0 { printf "%.4f\n", $1 / $2 }' | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]}'
}

# bootstrap: reads the same pairs and prints a 95 % percentile bootstrap interval of the median of
# their ratios (2,000 resamples of the rounds, fixed seed): how far the median could move with
# other rounds of the same machine. An interval that holds 1.00 is a tie.
bootstrap() {
    awk '$2 > 0 { r[++n] = $1 / $2 }
        function median(a, k,   i, j, v) {
            for (i = 2; i <= k; i++) { v = a[i]; for (j = i - 1; j > 0 && a[j] > v; j--) a[j + 1] = a[j]; a[j + 1] = v }
            return a[int((k + 1) / 2)] }
        END {
            if (n == 0) { printf "n/a"; exit }
            srand(20261202); B = 2000
            for (b = 1; b <= B; b++) { for (i = 1; i <= n; i++) s[i] = r[int(rand() * n) + 1]; m[b] = median(s, n) }
            median(m, B) # sorts m
            printf "%.2f-%.2f", m[int(B * 0.025) + 1], m[int(B * 0.975)] }'
}

if [ "$mode" = jvm ]; then
    join docker taskexec-bench-a "${A_OPTS:-}"
    a_node=$(cat "$tmp/taskexec-bench-a.id")
    join docker taskexec-bench-b "${B_OPTS:-}"
    b_node=$(cat "$tmp/taskexec-bench-b.id")
    warm_up "$engine_node" "$a_node" "$b_node"
    # all six orders in turn: each node follows each other one, and comes first, equally often
    orders=("engine a b" "a b engine" "b engine a" "engine b a" "b a engine" "a engine b")
    : >"$tmp/times"
    for round in $(seq 1 "$N"); do
        declare -A ms=()
        for who in ${orders[$((round % 6))]}; do
            case $who in engine) node=$engine_node ;; a) node=$a_node ;; b) node=$b_node ;; esac
            ms[$who]=$(one "$node" running sleep 30)
        done
        echo "${ms[engine]} ${ms[a]} ${ms[b]}" >>"$tmp/times"
    done
    printf 'to RUNNING, %s rounds: median ms agent %s, A %s, B %s   (A: [%s], B: [%s])\n' "$N" \
        "$(cut -d' ' -f1 "$tmp/times" | stats | awk '{print $1}')" \
        "$(cut -d' ' -f2 "$tmp/times" | stats | awk '{print $1}')" \
        "$(cut -d' ' -f3 "$tmp/times" | stats | awk '{print $1}')" "${A_OPTS:-bin/taskexec default}" "${B_OPTS:-bin/taskexec default}"
    for pair in "A agent 2 1" "B agent 3 1" "B A 3 2"; do
        read -r x y i j <<<"$pair"
        pairs=$(awk -v i="$i" -v j="$j" '{print $i, $j}' "$tmp/times")
        ratio=$(printf '%s\n' "$pairs" | paired_ratio)
        interval=$(printf '%s\n' "$pairs" | bootstrap)
        printf '  %s / %s: median of paired ratios %sx (95 %% interval %s)\n' "$x" "$y" "$ratio" "$interval"
    done
    exit 0
fi

join docker taskexec-bench-docker
docker_node=$(cat "$tmp/taskexec-bench-docker.id")
join process taskexec-bench-process
process_node=$(cat "$tmp/taskexec-bench-process.id")
# every service is pinned to the node it measures

warm_up "$engine_node" "$docker_node" "$process_node"

printf '%-44s %6s %6s   (ms, %s services each)\n' "node / measure" median max "$N"
for measure in running complete; do
    # interleaved, one service each in turn, so that a slow spell of the machine hits all three alike;
    # the order rotates, so that no node always follows the same one
    declare -A results=([engine]="" [docker]="" [process]="")
    orders=("engine docker process" "docker process engine" "process engine docker")
    for round in $(seq 1 "$N"); do
        for who in ${orders[$((round % 3))]}; do
            case $who in engine) node=$engine_node ;; docker) node=$docker_node ;; process) node=$process_node ;; esac
            if [ "$measure" = running ]; then
                results[$who]+="$(one "$node" running sleep 30)"$'\n'
            else
                results[$who]+="$(one "$node" complete true)"$'\n'
            fi
        done
    done
    for who in engine docker process; do
        case $who in
            engine) label="Engine's agent" ;;
            docker) label="taskexec node (docker backend)" ;;
            process) label="taskexec node (process backend)" ;;
        esac
        printf '%-44s %s\n' "$label, to ${measure^^}" "$(printf '%s' "${results[$who]}" | stats)"
    done
    for who in docker process; do
        pairs=$(paste <(printf '%s' "${results[$who]}") <(printf '%s' "${results[engine]}"))
        ratio=$(printf '%s\n' "$pairs" | paired_ratio)
        faster=$(printf '%s\n' "$pairs" | awk '$1 <= $2 {f++} END {print f+0}')
        interval=$(printf '%s\n' "$pairs" | bootstrap)
        printf '  %s node / Engine'"'"'s agent, to %s: median of paired ratios %sx (95 %% interval %s); as fast or faster in %d of %d rounds\n' \
            "$who" "${measure^^}" "$ratio" "$interval" "$faster" "$N"
    done
done
