#!/usr/bin/env bash
# PDQ, clearcut against the reference C++ (facebook/ThreatExchange pdq/cpp), timed in the same run
# on the same inputs, in two parts:
#  1. the hash core, on the same synthetic luma frames (bench/pdq_bench_input.h): ms per hash (wall
#     and CPU), the speed-up, and a check that both produced the same hash and quality;
#  2. the whole JPEG pipeline, file to hash (read, decode, shrink, hash), on the same JPEG files:
#     the reference's own pdqHash256FromFile (CImg on libjpeg) against clearcut's pipeline (luma
#     decoded DCT-scaled, bench/pdq_file_driver.cc) and its bit-exact one (full RGB decode), with
#     the Hamming distance of each to the reference's hash (Meta's rule: within 10 bits end to end,
#     since decoders differ). The default files are the JPEG fixtures of the PDQ test set plus the
#     bridge photo scaled by ffmpeg to 1920x1080 and 3840x2160 (written to a temporary folder).
#
#   PDQ_REFERENCE_DIR=/path/to/ThreatExchange bench/pdq_compare.sh   # builds both drivers first
#   PDQ_REFERENCE_BIN=/tmp/pdq-ref/pdq_reference_driver \
#     PDQ_REFERENCE_FILE_BIN=/tmp/pdq-ref/pdq_reference_file_driver bench/pdq_compare.sh
#
# The reference is never part of this repository: point PDQ_REFERENCE_DIR at a checkout of it
# (the folder holding pdq/cpp), and the script compiles bench/pdq_reference_driver.cc and
# bench/pdq_reference_file_driver.cc against it in a temporary folder; the second needs the
# checkout's CImg.h and io/pdqio.cpp, and libjpeg (libjpeg-dev, in scripts/bootstrap). CImg is
# built with cimg_use_jpeg, so the reference decodes in process; as shipped it runs ImageMagick's
# `convert` for each JPEG, which would only make it slower. Without a reference only clearcut's
# figures are printed.
# Optional: BUILD (default build/release), SIZES (default "1920x1080 512x512"), ITERATIONS,
# JPEGS (files for part 2), JPEG_ITERATIONS (default 10), PARTS (default "core jpeg").
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build/release}
sizes=${SIZES:-"1920x1080 512x512"}
iterations=${ITERATIONS:-20}
parts=${PARTS:-"core jpeg"}
bench="$build/bench/pdq_bench"
file_driver="$build/bench/pdq_file_driver"
for binary in "$bench" "$file_driver"; do
  if [ ! -x "$binary" ]; then
    echo "pdq_compare: $binary missing; cmake --preset release &&" \
      "cmake --build build/release --target pdq_bench pdq_file_driver" >&2
    exit 1
  fi
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

reference=${PDQ_REFERENCE_BIN:-}
reference_file=${PDQ_REFERENCE_FILE_BIN:-}
if [ -n "${PDQ_REFERENCE_DIR:-}" ]; then
  cpp="$PDQ_REFERENCE_DIR/pdq/cpp"
  mkdir -p "$work/pdq"
  ln -s "$(realpath "$cpp")" "$work/pdq/cpp"
  core=("$cpp/hashing/pdqhashing.cpp" "$cpp/hashing/torben.cpp" "$cpp/downscaling/downscaling.cpp"
    "$cpp/common/pdqhashtypes.cpp" "$cpp/common/pdqhamming.cpp")
  if [ -z "$reference" ]; then
    echo "pdq_compare: building the reference driver from $cpp" >&2
    ${CXX:-g++} -O3 -std=c++17 -I"$work" -I. -o "$work/pdq_reference_driver" \
      bench/pdq_reference_driver.cc "${core[@]}"
    reference="$work/pdq_reference_driver"
  fi
  if [ -z "$reference_file" ] && [[ " $parts " == *" jpeg "* ]] && [ -f "$cpp/CImg.h" ] &&
    [ -f "$cpp/io/pdqio.cpp" ]; then
    echo "pdq_compare: building the reference file driver (CImg on libjpeg) from $cpp" >&2
    ${CXX:-g++} -O3 -std=c++17 -Dcimg_use_jpeg -Dcimg_display=0 -I"$work" -I"$cpp" -I. \
      -o "$work/pdq_reference_file_driver" bench/pdq_reference_file_driver.cc \
      "$cpp/io/pdqio.cpp" "${core[@]}" -ljpeg -lpthread
    reference_file="$work/pdq_reference_file_driver"
  fi
fi

status=0
if [[ " $parts " == *" core "* ]]; then
  echo "== PDQ hash core (synthetic float luma in memory; ms per hash)"
  printf '%-10s %12s %12s %12s %12s %9s %9s  %s\n' size ref_wall_ms ref_cpu_ms cc_wall_ms cc_cpu_ms \
    x_wall x_cpu same_hash
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
fi

if [[ " $parts " == *" jpeg "* ]]; then
  if [ -n "${JPEGS:-}" ]; then
    read -r -a jpegs <<<"$JPEGS"
  else
    fixtures=${CLEARCUT_SHARED_DIR:-/work/shared}/fixtures/pdq
    mapfile -t jpegs < <(find "$fixtures" -name '*.jpg' | sort)
    bridge="$fixtures/reg-test-input/dih/bridge-1-original.jpg"
    if [ -f "$bridge" ] && command -v ffmpeg >/dev/null; then
      for size in 1920x1080 3840x2160; do
        ffmpeg -loglevel error -y -i "$bridge" -vf "scale=${size/x/:}" -q:v 2 \
          "$work/bridge-$size.jpg"
        jpegs+=("$work/bridge-$size.jpg")
      done
    fi
  fi
  if [ ${#jpegs[@]} -eq 0 ]; then
    echo "pdq_compare: no JPEG files (set JPEGS or CLEARCUT_SHARED_DIR)" >&2
    exit 1
  fi
  echo
  echo "== PDQ whole JPEG pipeline (file -> decode -> 512x512 -> hash; CPU ms per file)"
  jpeg_iterations=${JPEG_ITERATIONS:-10}
  "$file_driver" fast "$jpeg_iterations" "${jpegs[@]}" >"$work/fast.txt"
  "$file_driver" exact "$jpeg_iterations" "${jpegs[@]}" >"$work/exact.txt"
  if [ -n "$reference_file" ]; then
    "$reference_file" "$jpeg_iterations" "${jpegs[@]}" >"$work/reference.txt"
  else
    : >"$work/reference.txt"
  fi
  python3 - "$work/reference.txt" "$work/fast.txt" "$work/exact.txt" <<'PY' || status=1
import os, struct, sys

def rows(path):
    out = {}
    for line in open(path):
        name, wall, best, cpu, hash_hex, quality = line.split()
        out[name] = (float(wall), float(cpu), hash_hex, int(quality))
    return out

def jpeg_size(path):
    data = open(path, "rb").read()
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            height, width = struct.unpack(">HH", data[i + 5:i + 9])
            return "%dx%d" % (width, height)
        i += 2 + struct.unpack(">H", data[i + 2:i + 4])[0]
    return "?"

def distance(a, b):
    return bin(int(a, 16) ^ int(b, 16)).count("1")

ref, fast, exact = rows(sys.argv[1]), rows(sys.argv[2]), rows(sys.argv[3])
print("%-28s %10s %9s %9s %9s %7s %7s %6s %6s %4s" % (
    "file", "size", "ref_cpu", "cc_fast", "cc_exact", "x_fast", "x_exact", "d_fast", "d_exact", "q"))
totals = [0.0, 0.0, 0.0]
worst = 0
for name in fast:
    f, e = fast[name], exact[name]
    r = ref.get(name)
    label = os.path.basename(name)
    if r is None:
        print("%-28s %10s %9s %9.2f %9.2f" % (label, jpeg_size(name), "-", f[1], e[1]))
        continue
    df, de = distance(r[2], f[2]), distance(r[2], e[2])
    # A hash of quality under 50 is noise by PDQ's own definition (callers discard it), so the
    # 10-bit rule holds only above; such rows are marked and left out of the check.
    if r[3] >= 50:
        worst = max(worst, df, de)
    totals = [totals[0] + r[1], totals[1] + f[1], totals[2] + e[1]]
    print("%-28s %10s %9.2f %9.2f %9.2f %6.1fx %6.1fx %6d %6d %4d%s" % (
        label[:28], jpeg_size(name), r[1], f[1], e[1], r[1] / f[1], r[1] / e[1], df, de, r[3],
        "" if r[3] >= 50 else " (quality < 50: not checked)"))
if ref:
    print("%-28s %10s %9.2f %9.2f %9.2f %6.1fx %6.1fx %6s %6s" % (
        "all files", "", totals[0], totals[1], totals[2], totals[0] / totals[1],
        totals[0] / totals[2], "", ""))
    print("largest distance to the reference's hash, quality >= 50: %d bits (limit 10)" % worst)
    sys.exit(0 if worst <= 10 else 1)
print("(set PDQ_REFERENCE_FILE_BIN or PDQ_REFERENCE_DIR for the reference)")
PY
fi
exit $status
