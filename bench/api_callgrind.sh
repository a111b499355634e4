#!/usr/bin/env bash
# The REST API's user-space instructions a request, counted by valgrind's callgrind: steady where
# bench/api_bench.sh's requests/s and CPU time swing with whatever else runs on the machine.
# Seeds a demo SQLite database with `clearcut serve --demo` (natively: Argon2 under valgrind
# would take minutes), creates an API token, starts `clearcut serve` on it under callgrind with
# instrumentation off, warms it (policy and token caches) with 50 requests of each kind, then
# counts N requests, one after the other on one keep-alive connection, of:
#
#   GET  /api/v1/health    the baseline: HTTP and routing
#   POST /api/v1/assess    the body of bench/api_assess.lua, with the bearer token
#
# Kernel time (system calls, waking threads) is not counted: api_bench.sh's CPU column has it.
# Under callgrind's slowdown the policy cache's reload every 2 s shows up in the assess figure
# (up to some 30,000 instructions a request, depending on how slowly the machine runs it): read
# differences of that size as noise.
#
#   cmake --build --preset release --target clearcut
#   bench/api_callgrind.sh            # N=300
#   BUILD=build/other N=1000 bench/api_callgrind.sh
# Needs valgrind and python3. Exit 77 when valgrind is missing, 1 when a request fails.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${BUILD:-build/release}
n=${N:-300}
clearcut="$build/cmd/clearcut/clearcut"
for tool in valgrind callgrind_control python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "api_callgrind: $tool not on PATH (Debian: apt-get install valgrind python3)" >&2
    exit 77
  fi
done
if [ ! -x "$clearcut" ]; then
  echo "api_callgrind: $clearcut missing; cmake --build $build --target clearcut" >&2
  exit 1
fi

work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# wait_for_port FILE: the port `clearcut serve` printed to FILE (up to 120 s).
wait_for_port() {
  local port=
  for _ in $(seq 1 1200); do
    port=$(sed -n 's|^clearcut serving on http://[^:]*:\([0-9]*\)/.*|\1|p' "$1" 2>/dev/null)
    if [ -n "$port" ]; then
      echo "$port"
      return
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
      break
    fi
    sleep 0.1
  done
  echo "api_callgrind: clearcut serve did not start:" >&2
  cat "$1" >&2
  exit 1
}

db="sqlite:$work/cc.db"
"$clearcut" serve --demo --db "$db" --port 0 >"$work/seed.out" 2>&1 &
server_pid=$!
wait_for_port "$work/seed.out" >/dev/null
kill -TERM "$server_pid"
wait "$server_pid" || true
CLEARCUT_TOKEN=$("$clearcut" admin create-token --db "$db" --email partner@vendor.example \
  --name api-callgrind)
export CLEARCUT_TOKEN

valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/callgrind.out" \
  "$clearcut" serve --db "$db" --port 0 >"$work/serve.out" 2>"$work/valgrind.err" &
server_pid=$!
port=$(wait_for_port "$work/serve.out")

# send PATH COUNT: COUNT requests on one keep-alive connection; fails on anything but 200.
send() {
  python3 - "$port" "$1" "$2" <<'PY'
import http.client, os, sys
port, path, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
body, headers = None, {}
if path.endswith("/assess"):
    script = open("bench/api_assess.lua").read()
    body = script.split("local body = [[\n", 1)[1].split("\n]]", 1)[0].encode()
    headers = {"Authorization": "Bearer " + os.environ["CLEARCUT_TOKEN"],
               "Content-Type": "application/json"}
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
for _ in range(count):
    connection.request("POST" if body else "GET", path, body=body, headers=headers)
    answer = connection.getresponse()
    text = answer.read()
    if answer.status != 200:
        sys.exit(f"api_callgrind: {path} answered {answer.status}: {text[:200]!r}")
PY
}

send /api/v1/assess 50
send /api/v1/health 50
echo "clearcut API under callgrind ($clearcut): instructions a request, $n requests each"
dumps=0
for path in /api/v1/health /api/v1/assess; do
  callgrind_control -z "$server_pid" >/dev/null 2>&1
  callgrind_control -i on "$server_pid" >/dev/null 2>&1
  send "$path" "$n"
  callgrind_control -i off "$server_pid" >/dev/null 2>&1
  callgrind_control -d "$server_pid" >/dev/null 2>&1
  dumps=$((dumps + 1))
  for _ in $(seq 1 100); do  # the dump is written by the server, after the command returns
    [ -s "$work/callgrind.out.$dumps" ] && grep -q '^totals:' "$work/callgrind.out.$dumps" && break
    sleep 0.1
  done
  dump="$work/callgrind.out.$dumps"
  total=$(awk '/^totals:/ {print $2; exit}' "$dump")
  printf '%-22s %10d\n' "$path" $((total / n))
done
