#!/usr/bin/env bash
# HTTP throughput and tail latency of a running server while it also holds many idle
# keep-alive connections: bench/idle_connections opens IDLE of them, then wrk (Debian package
# `wrk`, expected on PATH; nothing is installed here) drives URL. Prints requests/s and p99.
#
#   bench/http_bench.sh http://127.0.0.1:8080/healthz
#   IDLE=5000 DURATION=30s CONNECTIONS=128 bench/http_bench.sh http://127.0.0.1:8080/v1/x
#
# Optional: BUILD (default build/release; the helper is $BUILD/bench/idle_connections, built by
# `cmake --build $BUILD --target idle_connections`), IDLE (default 1000), DURATION (10s),
# CONNECTIONS (wrk's busy connections, 64), THREADS (wrk threads, 2), WARM_PATH (the path each
# idle connection requests once before idling; default the URL's path).
set -euo pipefail
cd "$(dirname "$0")/.."

url=${1:?usage: bench/http_bench.sh URL}
build=${BUILD:-build/release}
idle=${IDLE:-1000}
duration=${DURATION:-10s}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
helper="$build/bench/idle_connections"

if ! command -v wrk >/dev/null; then
  echo "http_bench: wrk not on PATH (Debian: apt-get install wrk)" >&2
  exit 77
fi
if [ ! -x "$helper" ]; then
  echo "http_bench: $helper missing; cmake --build $build --target idle_connections" >&2
  exit 1
fi
if [[ ! "$url" =~ ^http://(\[[^]]+\]|[^/:]+)(:([0-9]+))?(/.*)?$ ]]; then
  echo "http_bench: expected http://HOST[:PORT][/PATH], got '$url'" >&2
  exit 2
fi
host=${BASH_REMATCH[1]}
host=${host#[}
host=${host%]}
port=${BASH_REMATCH[3]:-80}
path=${BASH_REMATCH[4]:-/}
warm_path=${WARM_PATH:-$path}

work=$(mktemp -d)
helper_pid=
cleanup() {
  if [ -n "$helper_pid" ]; then
    kill "$helper_pid" 2>/dev/null || true
    wait "$helper_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ "$idle" -gt 0 ]; then
  "$helper" "$host" "$port" "$idle" --warm "$warm_path" >"$work/helper.out" &
  helper_pid=$!
  for _ in $(seq 1 600); do  # up to 60 s to open them
    grep -q '^holding' "$work/helper.out" 2>/dev/null && break
    if ! kill -0 "$helper_pid" 2>/dev/null; then
      echo "http_bench: idle_connections exited before holding $idle connections" >&2
      exit 1
    fi
    sleep 0.1
  done
  if ! grep -q '^holding' "$work/helper.out"; then
    echo "http_bench: idle_connections did not open $idle connections in time" >&2
    exit 1
  fi
fi

wrk --latency -t"$threads" -c"$connections" -d"$duration" "$url" | tee "$work/wrk.out" >&2

if ! kill -0 "${helper_pid:-$$}" 2>/dev/null; then
  echo "http_bench: idle_connections died during the run" >&2
  exit 1
fi
rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk.out")
p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.out")
errors=$(awk '/Non-2xx or 3xx responses:|Socket errors:/' "$work/wrk.out")
echo "url=$url idle_connections=$idle busy_connections=$connections duration=$duration"
echo "requests_per_second=${rps:-?} p99_latency=${p99:-?}"
if [ -n "$errors" ]; then
  echo "errors: $errors"
fi
