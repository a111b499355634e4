#!/usr/bin/env bash
# Every relative link and image of the Markdown files in DIR names a file that exists.
#   tests/docs/check_links.sh docs
set -euo pipefail
dir=$1
missing=0
checked=0
for page in "$dir"/*.md; do
  # ](target) and ](target "title"), leaving out web addresses and in-page anchors.
  while read -r target; do
    path=${target%%#*}
    [ -n "$path" ] || continue
    checked=$((checked + 1))
    if [ ! -e "$dir/$path" ]; then
      echo "$page: links to $path, which does not exist"
      missing=$((missing + 1))
    fi
  done < <(grep -o '](\([^)]*\))' "$page" | sed -e 's/^](//' -e 's/)$//' -e 's/ ".*//' |
           grep -v -E '^(https?:|mailto:|#)' || true)
done
echo "docs_links: $checked links checked, $missing missing"
[ "$missing" -eq 0 ]
