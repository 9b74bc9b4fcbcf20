#!/bin/sh
# Brings up (or tears down) what the Docker executor's tests need: a running
# Docker Engine and the local test image taskexec-test:latest.
#
#   scripts/docker-test-env.sh up     install docker.io + busybox-static when missing (Debian, as root),
#                                     start dockerd when no daemon answers, build the test image when absent
#   scripts/docker-test-env.sh down   stop the dockerd that "up" started (and only that one)
#
# Both are idempotent. No registry is needed: the image is made with
# "docker import" from a root filesystem holding Debian's static busybox.
#
# Environment:
#   TASKEXEC_TEST_IMAGE   image to build (default taskexec-test:latest)
#   DOCKER_WAIT_SECONDS   how long to wait for the daemon's socket (default 60)
#   DOCKERD_LOG           dockerd's log file (default /tmp/taskexec-dockerd.log)
#   DOCKERD_PIDFILE       pidfile of the dockerd started here (default /tmp/taskexec-dockerd.pid)
#   DOCKERD_FLAGS         extra dockerd flags. A second daemon beside a running one needs its own
#                         --data-root, --exec-root and --pidfile; never --bridge=none there: that
#                         deletes the docker0 bridge the running daemon uses.
#   DOCKER_HOST           a unix:// socket other than the default makes the started dockerd listen there
set -eu

IMAGE="${TASKEXEC_TEST_IMAGE:-taskexec-test:latest}"
WAIT_SECONDS="${DOCKER_WAIT_SECONDS:-60}"
LOG="${DOCKERD_LOG:-/tmp/taskexec-dockerd.log}"
PIDFILE="${DOCKERD_PIDFILE:-/tmp/taskexec-dockerd.pid}"

# Applets linked into the image; the conformance workloads are POSIX shell scripts.
APPLETS="sh ash echo printf sleep true false cat trap kill env pwd id ls test [ seq yes head tail
wc grep sed awk tr cut date mkdir rm touch ln cp mv chmod hostname whoami uname ps timeout wget nc"

# Bump when APPLETS or the layout changes, so "up" rebuilds an older image.
IMAGE_REVISION=2

say() { printf 'docker-test-env: %s\n' "$*" >&2; }

daemon_answers() {
    command -v docker >/dev/null 2>&1 && docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_packages() {
    missing=""
    command -v dockerd >/dev/null 2>&1 || missing="$missing docker.io"
    # The image needs the static build: it has no libc to link against.
    dpkg -s busybox-static >/dev/null 2>&1 || missing="$missing busybox-static"
    [ -z "$missing" ] && return 0
    say "installing$missing"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    # shellcheck disable=SC2086
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
}

start_daemon() {
    daemon_answers && { say "a Docker daemon already answers"; return 0; }
    say "starting dockerd (log: $LOG)"
    # Not started through systemd: CI containers and fresh machines often have none.
    flags="${DOCKERD_FLAGS:-}"
    case "${DOCKER_HOST:-}" in
        unix://*) flags="-H $DOCKER_HOST $flags" ;;
    esac
    as_root sh -c "nohup dockerd $flags >'$LOG' 2>&1 & echo \$! >'$PIDFILE'"
    i=0
    while ! daemon_answers; do
        if [ "$i" -ge "$WAIT_SECONDS" ] || ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
            say "dockerd did not answer within ${WAIT_SECONDS}s; its log follows"
            cat "$LOG" >&2 || true
            exit 1
        fi
        i=$((i + 1))
        sleep 1
    done
    say "dockerd answers (pid $(cat "$PIDFILE"))"
}

build_image() {
    have="$(docker image inspect --format '{{index .Config.Labels "dev.taskexec.test-image"}}' "$IMAGE" 2>/dev/null || true)"
    if [ "$have" = "$IMAGE_REVISION" ]; then
        say "image $IMAGE present (revision $IMAGE_REVISION)"
        return 0
    fi
    say "building $IMAGE from /bin/busybox"
    root="$(mktemp -d)"
    trap 'rm -rf "$root"' EXIT
    mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/proc" "$root/sys" "$root/dev"
    cp /bin/busybox "$root/bin/busybox"
    for applet in $APPLETS; do
        [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
    done
    chmod 1777 "$root/tmp"
    printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
    tar -C "$root" -c . | docker import \
        --change 'ENV PATH=/bin' \
        --change 'CMD ["/bin/sh"]' \
        --change "LABEL dev.taskexec.test-image=$IMAGE_REVISION" \
        - "$IMAGE" >/dev/null
    say "built $IMAGE"
}

stop_daemon() {
    if [ ! -f "$PIDFILE" ]; then
        say "no dockerd was started by this script; nothing to stop"
        return 0
    fi
    pid="$(cat "$PIDFILE")"
    if kill -0 "$pid" 2>/dev/null; then
        say "stopping dockerd (pid $pid)"
        as_root kill -TERM "$pid"
        i=0
        while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 30 ]; do i=$((i + 1)); sleep 1; done
        if kill -0 "$pid" 2>/dev/null; then
            say "dockerd ignored SIGTERM for 30s; killing it"
            as_root kill -KILL "$pid" || true
        fi
    fi
    rm -f "$PIDFILE"
}

case "${1:-}" in
    up)
        install_packages
        start_daemon
        build_image
        ;;
    down)
        stop_daemon
        ;;
    *)
        echo "usage: $0 up|down" >&2
        exit 2
        ;;
esac
