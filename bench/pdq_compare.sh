#!/usr/bin/env bash
# PDQ hash core, clearcut against the reference C++ (facebook/ThreatExchange pdq/cpp), on the
# same synthetic luma frames (bench/pdq_bench_input.h), timed in the same run. Prints ms per hash
# (wall and CPU) and the speed-up, and checks that both produced the same hash and quality.
#
#   PDQ_REFERENCE_BIN=/tmp/pdq-ref/pdq_reference_driver bench/pdq_compare.sh
#   PDQ_REFERENCE_DIR=/path/to/ThreatExchange bench/pdq_compare.sh   # builds the driver first
#
# The reference is never part of this repository: point PDQ_REFERENCE_DIR at a checkout of it
# (the folder holding pdq/cpp), and the script compiles bench/pdq_reference_driver.cc against it
# in a temporary folder. Without either variable only clearcut's figures are printed.
# Optional: BUILD (default build/release), SIZES (default "1920x1080 512x512"), ITERATIONS.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build/release}
sizes=${SIZES:-"1920x1080 512x512"}
iterations=${ITERATIONS:-20}
bench="$build/bench/pdq_bench"
if [ ! -x "$bench" ]; then
  echo "pdq_compare: $bench missing; cmake --preset release && cmake --build build/release --target pdq_bench" >&2
  exit 1
fi

reference=${PDQ_REFERENCE_BIN:-}
if [ -z "$reference" ] && [ -n "${PDQ_REFERENCE_DIR:-}" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  cpp="$PDQ_REFERENCE_DIR/pdq/cpp"
  echo "pdq_compare: building the reference driver from $cpp" >&2
  mkdir -p "$work/pdq"
  ln -s "$(realpath "$cpp")" "$work/pdq/cpp"
  ${CXX:-g++} -O3 -std=c++17 -I"$work" -I. -o "$work/pdq_reference_driver" \
    bench/pdq_reference_driver.cc "$cpp/hashing/pdqhashing.cpp" "$cpp/hashing/torben.cpp" \
    "$cpp/downscaling/downscaling.cpp" "$cpp/common/pdqhashtypes.cpp" "$cpp/common/pdqhamming.cpp"
  reference="$work/pdq_reference_driver"
fi

printf '%-10s %12s %12s %12s %12s %9s %9s  %s\n' size ref_wall_ms ref_cpu_ms cc_wall_ms cc_cpu_ms \
  x_wall x_cpu same_hash
status=0
for size in $sizes; do
  width=${size%x*}
  height=${size#*x}
  ours=$("$bench" --benchmark_filter="BM_HashCoreLuma/$width/$height\$" --benchmark_repetitions=5 \
    --benchmark_format=json 2>/dev/null | python3 -c '
import json, sys
runs = [b for b in json.load(sys.stdin)["benchmarks"] if b.get("run_type") == "iteration"]
scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[runs[0]["time_unit"]]
print(sum(r["real_time"] for r in runs) / len(runs) * scale,
      sum(r["cpu_time"] for r in runs) / len(runs) * scale, runs[0]["label"].replace(" q", " "))')
  read -r cc_wall cc_cpu cc_hash cc_quality <<<"$ours"
  if [ -n "$reference" ]; then
    read -r _ ref_wall _ ref_cpu ref_hash ref_quality < <("$reference" "$width" "$height" "$iterations")
    same=no
    if [ "$ref_hash" = "$cc_hash" ] && [ "$ref_quality" = "$cc_quality" ]; then
      same=yes
    else
      status=1
    fi
    python3 -c "import sys; rw, rc, cw, cc = map(float, sys.argv[2:6]); print('%-10s %12.3f %12.3f %12.3f %12.3f %8.1fx %8.1fx  %s' % (sys.argv[1], rw, rc, cw, cc, rw / cw, rc / cc, sys.argv[6]))" \
      "$size" "$ref_wall" "$ref_cpu" "$cc_wall" "$cc_cpu" "$same"
  else
    printf '%-10s %12s %12s %12.3f %12.3f %9s %9s  %s\n' "$size" - - "$cc_wall" "$cc_cpu" - - \
      "(set PDQ_REFERENCE_BIN or PDQ_REFERENCE_DIR)"
  fi
done
exit $status
