#!/usr/bin/env bash
# A Docker engine for the compose and container tests on a machine that may have none.
#   compose/engine.sh run CMD…   ensure an engine answers, run CMD, stop the engine if we started it
#   compose/engine.sh start      ensure an engine answers (prints whether it started one)
#   compose/engine.sh stop       stop the engine this script started (var/dockerd.pid), if any
# Starting needs root: docker.io is installed from Debian's packages when missing, and dockerd
# runs with no default bridge or iptables rules, which works inside an unprivileged-looking
# sandbox; compose's own networks still resolve service names. Storage: overlay2 where the kernel
# and the file system under /var/lib/docker support it (dockerd refuses to start otherwise), else
# vfs, which copies the whole file system for every container and build step (an agent image
# rebuild: 6 s on overlay2, 62 s on vfs). DESKMESH_DOCKER_STORAGE_DRIVERS overrides the order.
# Each driver keeps its own images: base images built under vfs are not seen under overlay2.
set -euo pipefail
cd "$(dirname "$0")/.."
state=var/engine
mkdir -p "$state"
pid_file="$state/dockerd.pid"

answers() { timeout 20 docker info >/dev/null 2>&1; }

start() {
  if answers; then echo "engine: a Docker engine answers"; return 0; fi
  if ! command -v dockerd >/dev/null || ! command -v debootstrap >/dev/null; then
    [ "$(id -u)" = 0 ] || { echo "engine: no Docker engine, and not root to start one" >&2; return 1; }
    echo "engine: installing docker.io and debootstrap from Debian's packages …"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io debootstrap >/dev/null
  fi
  [ "$(id -u)" = 0 ] || { echo "engine: dockerd needs root" >&2; return 1; }
  local driver
  for driver in ${DESKMESH_DOCKER_STORAGE_DRIVERS:-overlay2 vfs}; do
    start_with "$driver" && return 0
  done
  echo "engine: dockerd did not answer with any of the storage drivers; see $state/dockerd.log" >&2
  return 1
}

start_with() {  # storage driver -> 0 once dockerd answers; 1 if it exits or never answers
  echo "--- dockerd --storage-driver=$1" >>"$state/dockerd.log"
  dockerd --storage-driver="$1" --iptables=false --bridge=none >>"$state/dockerd.log" 2>&1 &
  echo $! >"$pid_file"
  for _ in $(seq 120); do
    if answers; then
      echo "engine: started dockerd (pid $(cat "$pid_file"), storage driver $1, log $state/dockerd.log)"
      return 0
    fi
    kill -0 "$(cat "$pid_file")" 2>/dev/null || break
    sleep 0.5
  done
  echo "engine: dockerd with storage driver $1 did not start: $(tail -1 "$state/dockerd.log")" >&2
  stop
  return 1
}

stop() {
  [ -f "$pid_file" ] || return 0
  local pid; pid="$(cat "$pid_file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    echo "engine: stopped dockerd (pid $pid)"
  fi
  rm -f "$pid_file"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  run)
    shift
    started_here=0
    answers || started_here=1
    start
    [ "$started_here" = 1 ] && trap stop EXIT
    "$@"
    ;;
  *) echo "usage: $0 start|stop|run CMD…" >&2; exit 2 ;;
esac
