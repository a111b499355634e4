# shellcheck shell=bash
# Helpers shared by the scan evaluations (scan_eval.sh, scan_robustness.sh); sourced, not run.
# The caller sets `clearcut` (the binary), `work` (a temporary folder it removes) and `font`.
# shellcheck disable=SC2154  # those three

# Every tool the evaluations shell out to, and the binary; exit 1 naming what is missing.
scan_lib_require() {
  local tool
  for tool in ffmpeg ffprobe curl jq python3; do
    if ! command -v "$tool" >/dev/null; then
      echo "$(basename "$0"): $tool not on PATH (scripts/bootstrap installs it)" >&2
      exit 1
    fi
  done
  if [ ! -x "$clearcut" ]; then
    echo "$(basename "$0"): $clearcut missing; build the clearcut target" >&2
    exit 1
  fi
  if [ ! -f "$font" ]; then
    echo "$(basename "$0"): $font missing (Debian package fonts-dejavu-core)" >&2
    exit 1
  fi
}

ff() { ffmpeg -hide_banner -loglevel error -nostdin -y "$@"; }
elapsed() { echo "$((SECONDS - $1)) s"; }

# registry_start: a fresh SQLite registry seeded by `clearcut serve --demo`, served on a free
# loopback port. Sets db, server, server_pid, token (the demo partner's), legal_token (legal on
# squid-game-s3, who clears assets), use_case (the demo's approved use case, scope final_use),
# C2PA test keys in $work/keys and the watermark passphrase in CLEARCUT_SCAN_EVAL_WM.
# registry_stop ends the server; call it from the caller's EXIT trap too.
server_pid=
registry_start() {
  db="sqlite:$work/cc.db"
  "$clearcut" serve --demo --db "$db" --port 0 >"$work/serve.out" 2>&1 &
  server_pid=$!
  local port=
  for _ in $(seq 1 600); do # up to 60 s: the demo seeds accounts (Argon2) first
    port=$(sed -n 's|^clearcut serving on http://[^:]*:\([0-9]*\)/.*|\1|p' "$work/serve.out")
    [ -n "$port" ] && break
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "$(basename "$0"): clearcut serve exited:" >&2
      cat "$work/serve.out" >&2
      exit 1
    fi
    sleep 0.1
  done
  if [ -z "$port" ]; then
    echo "$(basename "$0"): clearcut serve did not start in time" >&2
    exit 1
  fi
  server="http://127.0.0.1:$port"
  token=$("$clearcut" admin create-token --db "$db" --email partner@vendor.example --name scan-eval)
  legal_token=$("$clearcut" admin create-token --db "$db" --email legal@studio.example \
    --name scan-eval-legal)
  "$clearcut" keys init --out "$work/keys" --test-root >/dev/null
  export CLEARCUT_SCAN_EVAL_WM="clearcut scan evaluation watermark passphrase"
  use_case=3
}
registry_stop() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=
  fi
}

# stamp_asset IN OUT: `clearcut stamp --server` (watermark, XMP, C2PA, registered provisional);
# prints the new asset's id.
stamp_asset() {
  "$clearcut" stamp "$1" --use-case "$use_case" --out "$2" --server "$server" \
    --token "$token" --key "$work/keys" --watermark-passphrase CLEARCUT_SCAN_EVAL_WM \
    >"$work/stamp.out"
  sed -n 's/^asset *\([0-9]*\) .*/\1/p' "$work/stamp.out"
}

# register_unmarked FILE NAME [reframed]: registers FILE through the REST API with the hashes
# `clearcut inspect` computes and no watermark or label; with `reframed`, also the PDQ hashes
# of the reframings `clearcut stamp` would register (inspect's frame_pdq), as a partner
# registering an unmarked output would. Prints the new asset's id.
register_unmarked() {
  local file=$1 name=$2 reframed=${3:-}
  "$clearcut" inspect "$file" --json >"$work/inspect.json"
  jq --arg name "$name" --argjson uc "$use_case" --arg reframed "$reframed" '{use_case_id: $uc,
    file_name: $name, media_type: .media_type, sha256: .sha256, pdq: .pdq,
    pdq_quality: .pdq_quality, width: .width, height: .height}
    + (if $reframed == "" or (.frame_pdq | length) == 0 then {}
    else {frame_pdq: .frame_pdq} end)' <"$work/inspect.json" >"$work/asset.json"
  curl -sf -X POST -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
    --data-binary "@$work/asset.json" "$server/api/v1/productions/1/assets" | jq -r .id
}

# clear_asset ID: legal clears it (the demo's approval of the use case has final_use).
clear_asset() {
  curl -sf -X POST -H "Authorization: Bearer $legal_token" -H "Content-Type: application/json" \
    -d '{"status": "cleared", "note": "scan evaluation"}' \
    "$server/api/v1/assets/$1/status" >/dev/null
}

# host_piece N OUT [SECONDS] [SIZE]: unregistered generated host footage (source N mod 6) with
# film grain, 25 fps, x264 CRF 10, a keyframe a second.
piece_args=(-c:v libx264 -preset ultrafast -crf 10 -g 25 -pix_fmt yuv420p -r 25)
host_piece() {
  local n=$1 out=$2 seconds=${3:-3} size=${4:-1280x720} src
  case $((n % 6)) in
    0) src="testsrc2=size=$size:rate=25" ;;
    1) src="life=size=$size:rate=25:seed=$n:ratio=0.2:mold=10:mold_color=0x203040" ;;
    2) src="cellauto=size=$size:rate=25:rule=$((18 + 12 * (n % 9))):seed=$n:scroll=1:full=1" ;;
    3) src="gradients=size=$size:rate=25:seed=$n:speed=0.05:n=5" ;;
    4) src="sierpinski=size=$size:rate=25:seed=$n:type=$(((n / 6) % 2 == 0 ? 0 : 1))" ;;
    5) src="mandelbrot=size=640x360:rate=25:maxiter=512:start_scale=$(((n % 5) + 1))" ;;
  esac
  ff -f lavfi -i "$src" -t "$seconds" \
    -vf "scale=${size/x/:},setsar=1,noise=alls=6:allf=t,format=yuv420p" "${piece_args[@]}" "$out"
}

# join_pieces: the pieces listed in $work/concat.txt joined, without re-encoding, into
# $work/master.mp4; the pieces go.
join_pieces() {
  ff -f concat -safe 0 -i "$work/concat.txt" -c copy "$work/master.mp4"
  rm -rf "$work/pieces"
}

# rendition_filter NAME: the ffmpeg filter of a rendition both evaluations make; fails on others.
rendition_filter() {
  case $1 in
    crf23 | crf28) echo "null" ;;
    letterbox) echo "crop=1280:536,pad=1280:720:0:92" ;; # a 2.39:1 matte: top and bottom cut
    crop10) echo "crop=1152:648,scale=1280:720" ;;       # 5% cut at each side, scaled back
    grade) grade_filter ;;
    subtitles) subtitles_filter ;;
    fps2997) echo "fps=30000/1001" ;;
    *) return 1 ;;
  esac
}

# subtitles_filter: two burned-in lines of DejaVu Sans at the bottom, the number changing every
# 2.5 s (sized for 720p).
subtitles_filter() {
  local line1="Subtitle %{eif\\:trunc(t/2.5)\\:d}\\: the quick brown fox jumps over the dog"
  local line2="and keeps on running all the way home."
  echo "drawtext=fontfile=$font:text='$line1':fontsize=38:fontcolor=white:borderw=3:x=(w-tw)/2:y=h-120,drawtext=fontfile=$font:text='$line2':fontsize=38:fontcolor=white:borderw=3:x=(w-tw)/2:y=h-70"
}

# grade_filter: contrast, gamma, saturation, hue turned 12 degrees, warm highlights, cool shadows.
grade_filter() {
  echo "eq=contrast=1.15:brightness=-0.03:saturation=1.3:gamma=0.9,hue=h=12,colorbalance=rs=0.08:bs=-0.08:rh=-0.05:bh=0.05"
}
