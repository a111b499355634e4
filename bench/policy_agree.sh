#!/usr/bin/env bash
# The CTest policy_peers_agree: Cedar (wasm) and json-rules-engine, fed the encoding of
# bench/node/encode.mjs, reach clearcut's decision (outcome, fired rules, unknown rules) on every
# accepted policy test case, every example and 2,000 random declarations. No timing.
#   bench/policy_agree.sh PATH/TO/policy_export
# Exits 77 (skipped) when bench/node/node_modules is absent: npm ci --prefix bench/node
set -euo pipefail
export_bin=$1
node_dir="$(cd "$(dirname "$0")" && pwd)/node"
if [ ! -d "$node_dir/node_modules" ]; then
  echo "policy_peers_agree: skipped, no $node_dir/node_modules (npm ci --prefix bench/node)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$export_bin" --random=2000 --seed=20251122 --out="$work/export.json"
node "$node_dir/compare.mjs" "$work/export.json" --agree-only
