#!/usr/bin/env bash
# Robustness evaluation of `clearcut scan` (issue #5). Builds nothing; uses the clearcut binary
# of BUILD (default build/release):
#
#   1. a fresh SQLite registry seeded by `clearcut serve --demo` (production squid-game-s3,
#      the partner's approved use case 3), an API token for the partner, C2PA test keys and a
#      watermark passphrase;
#   2. 1280x720 stills: natural photos (Debian's lomiri-wallpapers-16.04 in /usr/share/backgrounds
#      and the PDQ fixtures' photos in ../shared/fixtures/pdq), centre-cut to 16:9, and generated
#      ones (ffmpeg mandelbrot views, blurred `life` fields). Two of every three go through
#      `clearcut stamp --server` (watermark, XMP, C2PA, registered); the third is registered
#      through the REST API with the PDQ hash `clearcut inspect` computes and no watermark. Plus
#      a few stamped MP4 clips (stamp registers their frames' PDQ hashes every half second; it
#      embeds no watermark in video);
#   3. a 25 fps 1280x720 master: 3 s pieces of unregistered generated host footage (testsrc2,
#      life, cellauto, gradients, sierpinski, a mandelbrot zoom; film grain) with each asset cut
#      in for 2 s between them; then one H.264 (libx264 -preset veryfast, CRF 23 unless said)
#      rendition of the master per transformation;
#   4. `clearcut scan --json` on each rendition, and from the reports: recall per
#      transformation (an inserted asset counts as found when a finding names its asset id and
#      overlaps its time range), separately for stamped stills, unwatermarked stills and clips,
#      with the signals that found them; false-positive segments (findings that match no
#      inserted segment) per hour of host footage. Prints a markdown table.
#
#   cmake --preset release && cmake --build --preset release --target clearcut
#   bench/scan_eval.sh                       # or: BUILD=build/mine bench/scan_eval.sh
#   SCAN_EVAL_QUICK=1 bench/scan_eval.sh     # 3 stills, 2 transformations: a smoke run
#
# Optional: BUILD, TRANSFORMS (space-separated names from the list below), STILLS (how many
# stills, default 30), CLIPS (2), SCAN_ARGS (more `clearcut scan` flags, e.g. "--stride 2"),
# KEEP_DIR (copy the renditions, reports and the registry there), SCAN_EVAL_REPORTS=KEEP_DIR
# (only re-print the table of a kept run). Exit 1 when something fails to run; the recall itself
# is reported, never asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

build=${BUILD:-build/release}
clearcut="$root/$build/cmd/clearcut/clearcut"
all_transforms="crf23 crf28 scale50 letterbox pillarbox letterbox-fit pillarbox-fit crop10 grade subtitles fps2997"
if [ -n "${SCAN_EVAL_QUICK:-}" ]; then
  transforms=${TRANSFORMS:-"crf28 letterbox"}
  stills=${STILLS:-3}
  clips=${CLIPS:-0}
else
  transforms=${TRANSFORMS:-$all_transforms}
  stills=${STILLS:-30}
  clips=${CLIPS:-2}
fi
shared=${CLEARCUT_SHARED_DIR:-$root/../shared}
font=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
# shellcheck source=bench/scan_lib.sh
source "$root/bench/scan_lib.sh"

# tabulate DIR TRANSFORMS: DIR holds timeline.tsv, host_seconds and reports/TRANSFORM.json.
tabulate() {
  python3 - "$1" "$2" <<'PY'
import json, sys

run, transforms = sys.argv[1], sys.argv[2].split()
host_seconds = int(open(f"{run}/host_seconds").read())
timeline = []
for line in open(f"{run}/timeline.tsv"):
    kind, asset, start, end = line.rstrip("\n").split("\t")
    timeline.append((kind, int(asset), float(start), float(end)))
kinds = [k for k in ("stamped", "unmarked", "clip") if any(t[0] == k for t in timeline)]

def overlaps(f, start, end):
    return f["start_seconds"] < end and f["end_seconds"] > start

def covered(hits, start, end):  # seconds of [start, end) inside the findings
    spans = sorted((max(f["start_seconds"], start), min(f["end_seconds"], end)) for f in hits)
    total, reach = 0.0, start
    for a, b in spans:
        a = max(a, reach)
        if b > a:
            total, reach = total + b - a, b
    return total

rows, fp_total, notes = [], 0, []
for tr in transforms:
    file = json.load(open(f"{run}/reports/{tr}.json"))["files"][0]
    if file.get("error"):
        notes.append(f"{tr}: scan error: {file['error']}")
    findings = file["findings"]
    cells = {}
    for kind in kinds:
        segs = [t for t in timeline if t[0] == kind]
        c = {"found": 0, "total": len(segs), "pdq": 0, "watermark": 0, "both": 0,
             "covered": 0.0, "worst": None}
        for _, asset, start, end in segs:
            hits = [f for f in findings if f["asset_id"] == asset and overlaps(f, start, end)]
            if not hits:
                notes.append(f"{tr}: {kind} asset {asset} at {start:g}-{end:g} s not found")
                continue
            c["found"] += 1
            sig = {s["kind"] for f in hits for s in f["signals"]}
            c["both" if {"pdq", "watermark"} <= sig else "pdq" if "pdq" in sig else "watermark"] += 1
            c["covered"] += covered(hits, start, end) / (end - start)
            d = [s["distance"] for f in hits for s in f["signals"] if s["kind"] == "pdq"]
            if d:
                c["worst"] = max(c["worst"] or 0, min(d))
        cells[kind] = c
    fp = [f for f in findings
          if not any(f["asset_id"] == a and overlaps(f, s, e) for _, a, s, e in timeline)]
    for f in fp:
        notes.append(f"{tr}: false positive: asset {f['asset_id']} at "
                     f"{f['start_seconds']:.2f}-{f['end_seconds']:.2f} s, "
                     + ", ".join(f"{s['kind']} {s.get('distance', '')}" for s in f["signals"]))
    fp_total += len(fp)
    rows.append((tr, cells, len(fp), file["width"], file["height"], file["frame_rate"]))

label = {"stamped": "stamped stills", "unmarked": "unwatermarked stills", "clip": "stamped clips"}
head, rule = "| transformation | picture |", "|---|---|"
for kind in kinds:
    head += f" {label[kind]}: recall |"
    rule += "---:|"
    if kind == "stamped":
        head += " found by PDQ / watermark / both | shot covered |"
        rule += "---|---:|"
    if kind == "unmarked":
        head += " worst PDQ distance |"
        rule += "---:|"
print(head + " false-positive segments |")
print(rule + "---:|")
for tr, cells, fp, w, h, rate in rows:
    line = f"| {tr} | {w}x{h} @ {rate} |"
    for kind in kinds:
        c = cells[kind]
        line += f" {100.0 * c['found'] / c['total']:.1f}% ({c['found']}/{c['total']}) |"
        if kind == "stamped":
            cov = 100.0 * c["covered"] / c["found"] if c["found"] else 0.0
            line += f" {c['pdq']} / {c['watermark']} / {c['both']} | {cov:.0f}% |"
        if kind == "unmarked":
            line += f" {'-' if c['worst'] is None else c['worst']} |"
    print(line + f" {fp} |")
seconds = host_seconds * len(transforms)
print(f"\nfalse-positive segments: {fp_total} in {seconds} s of host footage "
      f"({fp_total * 3600 / seconds:.1f} per hour)")
if notes:
    print("\nnot found / false positives:")
    for n in notes:
        print(f"- {n}")
PY
}
if [ -n "${SCAN_EVAL_REPORTS:-}" ]; then # re-print the table of a KEEP_DIR
  if [ -z "${TRANSFORMS:-}" ]; then
    transforms=$(for f in "$SCAN_EVAL_REPORTS"/reports/*.json; do basename "$f" .json; done)
    transforms=$(for tr in $all_transforms; do grep -qx "$tr" <<<"$transforms" && echo "$tr"; done)
  fi
  tabulate "$SCAN_EVAL_REPORTS" "${transforms//$'\n'/ }"
  exit 0
fi

scan_lib_require
work=$(mktemp -d)
cleanup() {
  registry_stop
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/stills" "$work/stamped" "$work/pieces" "$work/renditions" "$work/reports"
t0=$SECONDS

# --- 1. The registry -------------------------------------------------------------------------
registry_start

# --- 2. The assets -----------------------------------------------------------------------------
# Natural photos first (licences in bench/README.md), then generated stills, up to $stills.
photos=()
for name in Bridge_by_Sander_Klootwijk Dragonfly_by_Bolly Picture_0B_by_freespace \
  Picture_1A_by_freespace Wine_by_Jakkub_Mede aitzgorri_by_Aitzol_Berasategi \
  analogpattern_by_Peter_Nerlich free_by_Peter_Nerlich friends_by_Aitzol_Berasategi \
  greentock_by_Peter_Nerlich life_by_Aitzol_Berasategi picosdeeuropa_by_Aitzol_Berasategi \
  seeding_by_Clements_Engelhardt sunset_by_Aitzol_Berasategi; do
  [ -f "/usr/share/backgrounds/$name.jpg" ] && photos+=("/usr/share/backgrounds/$name.jpg")
done
for name in dih/bridge-1-original.jpg pen-and-coaster.png labelme-subset/q0122.jpg \
  labelme-subset/q0291.jpg labelme-subset/q0746.jpg labelme-subset/q1050.jpg \
  labelme-subset/q2821.jpg; do
  f="$shared/fixtures/pdq/reg-test-input/$name"
  [ -f "$f" ] && photos+=("$f")
done
# Mandelbrot views (x y scale) and seeds of blurred, coloured `life` fields.
mandelbrots=("-0.1011 0.9563 0.02" "-0.7453 0.1127 0.01" "-1.2500 0.0200 0.05"
  "0.2850 0.0100 0.02" "-0.7490 0.0650 0.005" "-1.7690 0.0030 0.01" "-0.1600 1.0405 0.02"
  "0.3750 -0.2150 0.03" "-0.5400 0.6100 0.05")
colours=("0x3fa34d 0x1b263b" "0xe07a5f 0x3d405b" "0xf2cc8f 0x264653" "0x81b29a 0x6d2e46"
  "0xffb703 0x023047" "0xd62828 0x003049")
still_i=0
make_still() { # OUT: the still_i-th still, 1280x720 PNG
  local out=$1 i=$still_i
  if [ "$i" -lt "${#photos[@]}" ]; then
    ff -i "${photos[$i]}" -frames:v 1 \
      -vf "scale=1280:720:force_original_aspect_ratio=increase,crop=1280:720,setsar=1" \
      -pix_fmt rgb24 "$out"
    basename "${photos[$i]}" >"$out.source"
    return
  fi
  i=$((i - ${#photos[@]}))
  if [ "$i" -lt "${#mandelbrots[@]}" ]; then
    read -r x y s <<<"${mandelbrots[$i]}"
    ff -f lavfi -i "mandelbrot=size=1280x720:start_x=$x:start_y=$y:start_scale=$s:maxiter=1024" \
      -frames:v 1 -pix_fmt rgb24 "$out"
    echo "mandelbrot $x $y $s" >"$out.source"
    return
  fi
  i=$((i - ${#mandelbrots[@]}))
  read -r on off <<<"${colours[$((i % ${#colours[@]}))]}"
  ff -f lavfi -i "life=size=32x18:seed=$((1000 + i)):ratio=0.45:life_color=$on:death_color=$off" \
    -frames:v 1 -vf "scale=1280:720:flags=bicubic,gblur=sigma=12" -pix_fmt rgb24 "$out"
  echo "life field seed $((1000 + i))" >"$out.source"
}

# assets.tsv: kind <TAB> asset id <TAB> file to cut in <TAB> source
: >"$work/assets.tsv"
for ((n = 0; n < stills; n++)); do
  still="$work/stills/still$n.png"
  make_still "$still"
  still_i=$((still_i + 1))
  if [ $((n % 3)) -ne 2 ]; then
    out="$work/stamped/still$n.png"
    id=$(stamp_asset "$still" "$out")
    printf 'stamped\t%s\t%s\t%s\n' "$id" "$out" "$(cat "$still.source")" >>"$work/assets.tsv"
  else
    id=$(register_unmarked "$still" "still$n.png")
    printf 'unmarked\t%s\t%s\t%s\n' "$id" "$still" "$(cat "$still.source")" >>"$work/assets.tsv"
  fi
done
for ((n = 0; n < clips; n++)); do
  clip="$work/stills/clip$n.mp4"
  ff -f lavfi -i "mandelbrot=size=640x360:rate=25:start_x=-0.$((7 + n))4:start_y=0.1$((n))3:start_scale=0.05" \
    -t 3 -vf "scale=1280:720,format=yuv420p" -c:v libx264 -preset veryfast -crf 18 "$clip"
  out="$work/stamped/clip$n.mp4"
  id=$(stamp_asset "$clip" "$out")
  printf 'clip\t%s\t%s\tmandelbrot zoom\n' "$id" "$out" >>"$work/assets.tsv"
done
registry_stop
echo "scan_eval: $(wc -l <"$work/assets.tsv") assets registered ($(elapsed "$t0"))" >&2

# --- 3. The master and its renditions ----------------------------------------------------------
# timeline.tsv: kind <TAB> asset id <TAB> start s <TAB> end s (in the master); host seconds total
: >"$work/timeline.tsv"
: >"$work/concat.txt"
t=0
n=0
while IFS=$'\t' read -r kind id file _; do
  host_piece "$n" "$work/pieces/host$n.mp4"
  echo "file '$work/pieces/host$n.mp4'" >>"$work/concat.txt"
  t=$((t + 3))
  if [ "$kind" = clip ]; then
    ff -i "$file" -t 2 -vf "scale=1280:720,setsar=1,format=yuv420p" "${piece_args[@]}" \
      "$work/pieces/asset$n.mp4"
  else
    ff -loop 1 -framerate 25 -t 2 -i "$file" -vf "scale=1280:720,setsar=1,format=yuv420p" \
      "${piece_args[@]}" "$work/pieces/asset$n.mp4"
  fi
  echo "file '$work/pieces/asset$n.mp4'" >>"$work/concat.txt"
  printf '%s\t%s\t%s\t%s\n' "$kind" "$id" "$t" "$((t + 2))" >>"$work/timeline.tsv"
  t=$((t + 2))
  n=$((n + 1))
done <"$work/assets.tsv"
host_piece "$n" "$work/pieces/host$n.mp4"
echo "file '$work/pieces/host$n.mp4'" >>"$work/concat.txt"
host_seconds=$((3 * (n + 1)))
echo "$host_seconds" >"$work/host_seconds"
join_pieces
echo "scan_eval: master $((t + 3)) s, $host_seconds s of it host footage ($(elapsed "$t0"))" >&2

filter_of() {
  case $1 in
    scale50) echo "scale=640:360" ;;
    # A 4:3 centre cut shown in the 16:9 frame: the picture loses 25% of its width.
    pillarbox) echo "crop=960:720,pad=1280:720:160:0" ;;
    # The whole 16:9 picture in a 4:3 frame (bars top and bottom) and in a 2.39:1 frame (bars
    # left and right): nothing cut.
    letterbox-fit) echo "scale=960:540,pad=960:720:0:90" ;;
    pillarbox-fit) echo "pad=1720:720:220:0" ;;
    *)
      if ! rendition_filter "$1"; then
        echo "scan_eval: unknown transformation $1 (known: $all_transforms)" >&2
        return 1
      fi
      ;;
  esac
}

scan_seconds=0
for tr in $transforms; do
  filter=$(filter_of "$tr")
  crf=23
  [ "$tr" = crf28 ] && crf=28
  ts=$SECONDS
  ff -i "$work/master.mp4" -vf "$filter,setsar=1,format=yuv420p" -c:v libx264 -preset veryfast \
    -crf "$crf" "$work/renditions/$tr.mp4"
  te=$SECONDS
  # shellcheck disable=SC2086  # SCAN_ARGS is a list of flags
  "$clearcut" scan "$work/renditions/$tr.mp4" --production squid-game-s3 --db "$db" \
    --watermark-passphrase CLEARCUT_SCAN_EVAL_WM --json "$work/reports/$tr.json" \
    ${SCAN_ARGS:-} >/dev/null 2>"$work/scan.err" || [ $? -eq 1 ] # 1: findings fail the delivery
  scan_seconds=$((scan_seconds + SECONDS - te))
  echo "scan_eval: $tr: encode $((te - ts)) s, scan $((SECONDS - te)) s" >&2
done

# --- 4. The table ------------------------------------------------------------------------------
tabulate "$work" "$transforms"
echo "scan_eval: done in $(elapsed "$t0") (scans $scan_seconds s)" >&2
if [ -n "${KEEP_DIR:-}" ]; then
  mkdir -p "$KEEP_DIR"
  cp -r "$work/renditions" "$work/reports" "$work/assets.tsv" "$work/timeline.tsv" \
    "$work/host_seconds" "$work/cc.db" "$KEEP_DIR/"
fi
