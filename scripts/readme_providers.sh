#!/bin/sh
# Copies the provider table of docs/providers.md into README.md, between the
# provider-table markers, so the README's list cannot drift from the reference.
set -eu
cd "$(dirname "$0")/.."
begin='<!-- provider-table:begin -->'
end='<!-- provider-table:end -->'
table=$(sed -n "/^$begin\$/,/^$end\$/p" docs/providers.md)
[ -n "$table" ] || { echo "no provider table in docs/providers.md" >&2; exit 1; }
grep -qx "$begin" README.md || { echo "README.md has no '$begin' marker" >&2; exit 1; }
tmp=$(mktemp)
TABLE="$table" awk -v begin="$begin" -v end="$end" '
  $0 == begin { print ENVIRON["TABLE"]; skip = 1; next }
  $0 == end { skip = 0; next }
  !skip { print }
' README.md >"$tmp"
mv "$tmp" README.md
