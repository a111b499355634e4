#!/usr/bin/env bash
# The REST API under load on loopback: starts `clearcut serve --demo` on a temporary SQLite
# database, creates an API token for the demo partner, holds IDLE idle keep-alive connections
# open (bench/idle_connections), and drives three endpoints with wrk (Debian package `wrk`,
# expected on PATH; nothing is installed here), one after the other:
#
#   GET  /api/v1/health                       the baseline: routing and HTTP, no auth, no database
#   POST /api/v1/assess                       bearer token, a full declaration (api_assess.lua)
#   GET  /api/v1/productions/1/use-cases      bearer token, one page of the demo's use cases
#
# Prints requests/s, p50 and p99 latency, the ratio to the baseline, and the server's CPU time
# per request (steadier than requests/s when other work shares the cores) for each.
#
#   cmake --preset release && cmake --build --preset release --target clearcut idle_connections
#   bench/api_bench.sh
#   DURATION=30s CONNECTIONS=128 bench/api_bench.sh
#
# Optional: BUILD (default build/release), IDLE (idle connections, 1000), DURATION (each
# measured run, 10s), WARMUP (an unmeasured run before each, 2s), CONNECTIONS (wrk's busy
# connections, 64), THREADS (wrk threads, 2), SERVE_ARGS (more `clearcut serve` flags, e.g.
# "--handler-threads 4"), ASSESS_BODY (a file with another assess request body).
# Exit 77 when wrk is missing, 1 when a run fails or answers anything but 2xx.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${BUILD:-build/release}
idle=${IDLE:-1000}
duration=${DURATION:-10s}
warmup=${WARMUP:-2s}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
clearcut="$build/cmd/clearcut/clearcut"
helper="$build/bench/idle_connections"

if ! command -v wrk >/dev/null; then
  echo "api_bench: wrk not on PATH (Debian: apt-get install wrk)" >&2
  exit 77
fi
for binary in "$clearcut" "$helper"; do
  if [ ! -x "$binary" ]; then
    echo "api_bench: $binary missing; cmake --build $build --target clearcut idle_connections" >&2
    exit 1
  fi
done
if ! "$clearcut" serve --help >/dev/null 2>&1; then
  echo "api_bench: $clearcut has no serve command (configure $build with the api module)" >&2
  exit 1
fi

work=$(mktemp -d)
server_pid=
helper_pid=
cleanup() {
  if [ -n "$helper_pid" ]; then
    kill "$helper_pid" 2>/dev/null || true
    wait "$helper_pid" 2>/dev/null || true
  fi
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

db="sqlite:$work/cc.db"
# shellcheck disable=SC2086  # SERVE_ARGS is a list of flags
"$clearcut" serve --demo --db "$db" --port 0 ${SERVE_ARGS:-} >"$work/serve.out" 2>&1 &
server_pid=$!
port=
for _ in $(seq 1 300); do  # up to 30 s: the demo seeds accounts (Argon2) first
  port=$(sed -n 's|^clearcut serving on http://[^:]*:\([0-9]*\)/.*|\1|p' "$work/serve.out")
  [ -n "$port" ] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "api_bench: clearcut serve exited:" >&2
    cat "$work/serve.out" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$port" ]; then
  echo "api_bench: clearcut serve did not start in time" >&2
  exit 1
fi
base="http://127.0.0.1:$port"

CLEARCUT_TOKEN=$("$clearcut" admin create-token --db "$db" --email partner@vendor.example \
  --name api-bench)
export CLEARCUT_TOKEN
if [ -n "${ASSESS_BODY:-}" ]; then
  ASSESS_BODY=$(realpath "$ASSESS_BODY")
  export ASSESS_BODY
fi

# Every endpoint answers 200 before it is measured, so that a misconfiguration is not timed.
check() {
  local status
  status=$(curl -s -o "$work/check.out" -w '%{http_code}' "$@")
  if [ "$status" != 200 ]; then
    echo "api_bench: $* answered $status: $(cat "$work/check.out")" >&2
    exit 1
  fi
}
check "$base/api/v1/health"
check -H "Authorization: Bearer $CLEARCUT_TOKEN" "$base/api/v1/productions/1/use-cases"
body_file=${ASSESS_BODY:-$work/assess.json}
if [ -z "${ASSESS_BODY:-}" ]; then  # the default body, as api_assess.lua holds it
  sed -n '/^local body = \[\[$/,/^\]\]$/p' bench/api_assess.lua | sed '1d;$d' >"$body_file"
fi
check -X POST -H "Authorization: Bearer $CLEARCUT_TOKEN" -H "Content-Type: application/json" \
  --data-binary "@$body_file" "$base/api/v1/assess"

if [ "$idle" -gt 0 ]; then
  "$helper" 127.0.0.1 "$port" "$idle" --warm /api/v1/health >"$work/helper.out" &
  helper_pid=$!
  for _ in $(seq 1 600); do  # up to 60 s to open them
    grep -q '^holding' "$work/helper.out" 2>/dev/null && break
    if ! kill -0 "$helper_pid" 2>/dev/null; then
      echo "api_bench: idle_connections exited before holding $idle connections" >&2
      exit 1
    fi
    sleep 0.1
  done
  if ! grep -q '^holding' "$work/helper.out"; then
    echo "api_bench: idle_connections did not open $idle connections in time" >&2
    exit 1
  fi
fi

# The server's CPU time so far (user + system), in clock ticks.
server_ticks() {
  awk '{print $14 + $15}' "/proc/$server_pid/stat"
}
ticks_per_second=$(getconf CLK_TCK)

# run NAME URL [wrk args...]: a warm-up, then the measured run; appends a row to $work/rows.
run() {
  local name=$1 url=$2
  shift 2
  wrk -t"$threads" -c"$connections" -d"$warmup" "$@" "$url" >/dev/null
  local ticks_before ticks_after
  ticks_before=$(server_ticks)
  wrk --latency -t"$threads" -c"$connections" -d"$duration" "$@" "$url" >"$work/$name.out"
  ticks_after=$(server_ticks)
  cat "$work/$name.out" >&2
  if ! kill -0 "${helper_pid:-$server_pid}" 2>/dev/null; then
    echo "api_bench: idle_connections died during the run" >&2
    exit 1
  fi
  if grep -qE 'Non-2xx or 3xx responses|Socket errors' "$work/$name.out"; then
    echo "api_bench: $name: errors during the run (see above)" >&2
    exit 1
  fi
  local rps p50 p99 count cpu_us
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/$name.out")
  p50=$(awk '$1 == "50%" {print $2}' "$work/$name.out")
  p99=$(awk '$1 == "99%" {print $2}' "$work/$name.out")
  count=$(awk '/requests in/ {print $1}' "$work/$name.out")
  # The server's CPU per request: steadier than requests/s when other work shares the cores.
  cpu_us=$(awk -v t=$((ticks_after - ticks_before)) -v hz="$ticks_per_second" -v n="$count" \
    'BEGIN {printf "%.0f", t / hz * 1e6 / n}')
  echo "$name $rps $p50 $p99 $cpu_us" >>"$work/rows"
}

run health "$base/api/v1/health"
run assess "$base/api/v1/assess" -s bench/api_assess.lua
run use-cases "$base/api/v1/productions/1/use-cases" -s bench/api_get.lua

echo
echo "clearcut API on 127.0.0.1 ($(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)):" \
  "SQLite, $idle idle keep-alive connections," \
  "wrk -t$threads -c$connections -d$duration${SERVE_ARGS:+, serve $SERVE_ARGS}"
awk 'BEGIN {
       label["health"] = "GET /api/v1/health (baseline)"
       label["assess"] = "POST /api/v1/assess"
       label["use-cases"] = "GET /api/v1/productions/1/use-cases"
     }
     NR == 1 {baseline = $2}
     {printf "| %-38s | %10.0f | %8s | %8s | %6.2f | %11s |\n", label[$1], $2, $3, $4,
             $2 / baseline, $5}' "$work/rows" |
  { printf "| %-38s | %10s | %8s | %8s | %6s | %11s |\n" endpoint "requests/s" p50 p99 "ratio" \
      "server CPU"
    printf "|%s|%s|%s|%s|%s|%s|\n" "$(printf -- '-%.0s' {1..40})" "$(printf -- '-%.0s' {1..12})" \
      "$(printf -- '-%.0s' {1..10})" "$(printf -- '-%.0s' {1..10})" "$(printf -- '-%.0s' {1..8})" \
      "$(printf -- '-%.0s' {1..13})"
    cat; }
echo "server CPU: microseconds of the server's CPU time (user + system) per request"
