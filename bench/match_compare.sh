#!/usr/bin/env bash
# Radius-31 search over 256-bit codes: clearcut::match beside FAISS's binary indexes and the PDQ
# reference's own indexes, on the same codes, queries and batch sizes (bench/match_bench.cc),
# one thread each. match_bench checks every implementation's result sets against a brute-force
# scan before timing it; a mismatch prints MISMATCH here and the script exits 1.
#
#   PDQ_REFERENCE_DIR=/path/to/ThreatExchange bench/match_compare.sh
#   PDQ_REFERENCE_DIR=... MATCH_BENCH_SIZES=1000000,10000000 bench/match_compare.sh
#
# PDQ_REFERENCE_DIR is a checkout of facebook/ThreatExchange (the folder holding pdq/cpp); it is
# never part of this repository. The script configures and builds match_bench in $BUILD with
# the reference's index/flat.h and index/mih.h compiled in (CMake MATCH_PDQ_REFERENCE_DIR;
# -march=native, so flat.h takes its AVX-512 path where the CPU has one). FAISS comes from
# Debian's libfaiss-dev when installed. Without either, only clearcut's rows are printed.
#
# Optional: BUILD (default build/match-compare), MATCH_BENCH_SIZES (default 1000000),
# MATCH_BENCH_QUERIES (default 64), MATCH_BENCH_BATCHES (default 1,64), FILTER (a
# --benchmark_filter regex), MIN_TIME (default 0.5), JSON (keep the raw results there).
# At 10M codes the peers' index builds take minutes (FAISS MultiHash 8x32 ~1.5 min, the PDQ
# reference MIH ~5 min) and several GB; each is freed before the next is built.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build/match-compare}
reference=""
if [ -n "${PDQ_REFERENCE_DIR:-}" ]; then
  reference=$(realpath "$PDQ_REFERENCE_DIR")
  if [ ! -f "$reference/pdq/cpp/index/flat.h" ]; then
    echo "match_compare: no pdq/cpp/index/flat.h under $reference" >&2
    exit 1
  fi
fi
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCLEARCUT_BUILD_TESTS=OFF \
  -DMATCH_PDQ_REFERENCE_DIR="$reference" >/dev/null
cmake --build "$build" --target match_bench >/dev/null

json=${JSON:-$(mktemp)}
export MATCH_BENCH_SIZES=${MATCH_BENCH_SIZES:-1000000}
"$build/bench/match_bench" --benchmark_filter="${FILTER:-.}" \
  --benchmark_min_time="${MIN_TIME:-0.5}" --benchmark_format=json --benchmark_out="$json" \
  --benchmark_out_format=json >/dev/null
python3 - "$json" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}
rows, order, failed = {}, [], False
for b in data["benchmarks"]:
    impl, kind, size, batch = b["name"].split("/")[:4]
    key = (int(size), kind, batch.split(":")[1])
    if key not in rows:
        rows[key] = {}
        order.append(key)
    if b.get("error_occurred"):
        rows[key][impl] = None
        print("MISMATCH %s: %s" % (b["name"], b.get("error_message", "")))
        failed = True
        continue
    q = b["queries"]
    unit = scale[b["time_unit"]]
    rows[key][impl] = dict(cpu=b["cpu_time"] * unit / q, wall=b["real_time"] * unit / q,
                           results=b["results_per_query"], build=b["build_s"],
                           label=b.get("label", ""))
print("radius 31, one thread, ms per query (CPU; wall in brackets); x = peer time / clearcut time")
for key in order:
    size, kind, batch = key
    impls = rows[key]
    ours = impls.get("clearcut")
    print("\n%s codes, %s, batch %s, %.1f results/query%s" % (
        f"{size:,}", kind, batch, next((r["results"] for r in impls.values() if r), 0),
        ("  [clearcut " + ours["label"] + "]") if ours else ""))
    print("  %-24s %12s %12s %9s %9s" % ("implementation", "ms/query", "(wall)", "x", "build s"))
    best = None
    for impl, r in impls.items():
        if r is None:
            print("  %-24s %12s" % (impl, "MISMATCH"))
            continue
        ratio = r["cpu"] / ours["cpu"] if ours else float("nan")
        print("  %-24s %12.4f %12.4f %8.1fx %9.2f" % (impl, r["cpu"], r["wall"], ratio, r["build"]))
        if not impl.startswith("clearcut") and (best is None or r["cpu"] < best[1]):
            best = (impl, r["cpu"])
    if ours and best:
        print("  best peer: %s, clearcut is %.1fx faster" % (best[0], best[1] / ours["cpu"]))
sys.exit(1 if failed else 0)
PY
