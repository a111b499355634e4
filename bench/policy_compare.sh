#!/usr/bin/env bash
# Policy decisions per second: clearcut against Cedar (wasm) and json-rules-engine, on the same
# declarations (every accepted case of policies/tests and every file of examples/), on one
# thread each, in one run (bench/README.md). First checks that both peers reach clearcut's
# decision on every declaration, then times them, then prints one table with the ratios.
# Builds nothing:
#   cmake --preset release && cmake --build build/release --target policy_bench policy_export
#   bench/policy_compare.sh [BUILD_DIR]          # default $BUILD, else build/release
# Optional: SECONDS_PER_PEER (default 3), MIN_TIME (policy_bench seconds per repetition,
# default 1), REPETITIONS (default 3; clearcut's figure is their median).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-${BUILD:-build/release}}
seconds=${SECONDS_PER_PEER:-3}
min_time=${MIN_TIME:-1}
repetitions=${REPETITIONS:-3}

for tool in policy_bench policy_export; do
  if [ ! -x "$build/bench/$tool" ]; then
    echo "policy_compare: $build/bench/$tool missing; cmake --preset release &&" \
      "cmake --build build/release --target policy_bench policy_export" >&2
    exit 1
  fi
done
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "policy_compare: needs node and npm (scripts/bootstrap)" >&2
  exit 1
fi

# The peers' packages, pinned by bench/node/package-lock.json; installed when absent or stale.
if [ ! -f bench/node/node_modules/.package-lock.json ] ||
  [ bench/node/package-lock.json -nt bench/node/node_modules/.package-lock.json ]; then
  echo "policy_compare: npm ci in bench/node" >&2
  npm ci --prefix bench/node --no-audit --no-fund >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "policy_compare: $build/bench/policy_export" >&2
"$build/bench/policy_export" --out="$work/export.json"

echo "policy_compare: $build/bench/policy_bench --benchmark_filter='^BM_Decide\$'" \
  "--benchmark_min_time=$min_time --benchmark_repetitions=$repetitions" >&2
"$build/bench/policy_bench" --benchmark_filter='^BM_Decide$' --benchmark_min_time="$min_time" \
  --benchmark_repetitions="$repetitions" --benchmark_report_aggregates_only=true \
  --benchmark_out="$work/clearcut.json" --benchmark_out_format=json >/dev/null

echo "policy_compare: node bench/node/compare.mjs --seconds=$seconds" >&2
node bench/node/compare.mjs "$work/export.json" --clearcut="$work/clearcut.json" \
  --seconds="$seconds"
