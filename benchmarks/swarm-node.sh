#!/usr/bin/env bash
# Time from `docker service create` to the task RUNNING and to COMPLETE, on a taskexec node
# (`taskexec node join -e docker`, tasks run as containers on the local Engine) and on the
# Engine's own swarm agent, in the same run, on the same Engine and image.
#
#   benchmarks/swarm-node.sh [N]        N services per node and measure (default 10)
#
# Needs a Docker Engine that is NOT in swarm mode (it makes its own swarm on 127.0.0.1:2377 and
# always leaves it), the image taskexec-test:latest (scripts/docker-test-env.sh up) and a JDK 21+.
# Start: the service's CreatedAt; end: the task's status timestamp when it reached RUNNING
# (a `sleep` service) or COMPLETE (a `true` service), both stamped by the manager's and the node's
# clocks on this one machine. Prints median and max per node and measure, in milliseconds.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-10}"
IMAGE="${TASKEXEC_TEST_IMAGE:-taskexec-test:latest}"

if [ "$(docker info --format '{{.Swarm.LocalNodeState}}')" != inactive ]; then
    echo "swarm-node.sh: the Docker Engine is already in swarm mode; it is not this script's to change" >&2
    exit 1
fi
tmp=$(mktemp -d)
node_pid=""
java_node=""
cleanup() {
    docker service ls -q --filter label=dev.taskexec.bench=swarm-node | xargs -r docker service rm >/dev/null 2>&1 || true
    if [ -n "$node_pid" ]; then kill "$node_pid" 2>/dev/null || true; wait "$node_pid" 2>/dev/null || true; fi
    if [ -n "$java_node" ]; then
        docker ps -aq --filter "label=dev.taskexec.node.id=$java_node" | xargs -r docker rm -f >/dev/null 2>&1 || true
    fi
    docker swarm leave --force >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

docker swarm init --advertise-addr 127.0.0.1 --listen-addr 127.0.0.1:2377 >/dev/null
engine_node=$(docker info --format '{{.Swarm.NodeID}}')
bin/taskexec node join -e docker --advertise-hostname taskexec-bench --state-dir "$tmp/state" \
    --token "$(docker swarm join-token -q worker)" 127.0.0.1:2377 >"$tmp/node.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 120); do
    java_node=$(docker node ls --filter name=taskexec-bench --format '{{.ID}} {{.Status}}' | awk '$2=="Ready"{print $1}')
    [ -n "$java_node" ] && break
    sleep 1
done
[ -n "$java_node" ] || { echo "swarm-node.sh: the taskexec node did not become Ready; its log:" >&2; cat "$tmp/node.log" >&2; exit 1; }
# Engine tasks should run only on the Engine, taskexec tasks only on the taskexec node: both pinned.

# one NODE STATE COMMAND...: prints milliseconds from service creation to the task reaching STATE.
one() {
    local node=$1 state=$2; shift 2
    local name="bench-$RANDOM$RANDOM"
    docker service create --detach --quiet --name "$name" --label dev.taskexec.bench=swarm-node \
        --constraint "node.id==$node" --restart-condition none --no-resolve-image "$IMAGE" "$@" >/dev/null
    local task=""
    for _ in $(seq 1 600); do
        task=$(docker service ps -q --filter "desired-state=running" --filter "desired-state=shutdown" "$name" | head -1)
        if [ -n "$task" ] && [ "$(docker inspect --format '{{.Status.State}}' "$task")" = "$state" ]; then
            break
        fi
        task=""
        sleep 0.1
    done
    [ -n "$task" ] || { echo "swarm-node.sh: $name did not reach $state" >&2; exit 1; }
    local created reached
    created=$(docker service inspect --format '{{.CreatedAt.UnixNano}}' "$name")
    reached=$(docker inspect --format '{{.Status.Timestamp.UnixNano}}' "$task")
    docker service rm "$name" >/dev/null
    echo $(( (reached - created) / 1000000 ))
}

stats() { sort -n | awk '{a[NR]=$1} END {printf "%6d %6d", a[int((NR+1)/2)], a[NR]}'; }

printf '%-44s %6s %6s   (ms, %s services each)\n' "node / measure" median max "$N"
for measure in running complete; do
    for who in engine taskexec; do
        node=$engine_node; [ "$who" = taskexec ] && node=$java_node
        results=()
        for _ in $(seq 1 "$N"); do
            if [ "$measure" = running ]; then
                results+=("$(one "$node" running sleep 30)")
            else
                results+=("$(one "$node" complete true)")
            fi
        done
        label="Engine's agent"; [ "$who" = taskexec ] && label="taskexec node (docker backend)"
        printf '%-44s %s\n' "$label, to ${measure^^}" "$(printf '%s\n' "${results[@]}" | stats)"
    done
done
