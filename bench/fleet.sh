#!/usr/bin/env bash
# One fleet run (bench/fleet.lua): 64 callers x 10 bots x 5 mints from one wrk, 64
# connections. Prints "<issuances/s> (<3200 - refused> of 3200 in <ms> ms)".
#   bench/fleet.sh <base url> broker|direct <run id> [admin token for direct]
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp)
wrk -t2 -c64 -d300s -s bench/fleet.lua "$1" -- "$2" "$3" "${4:-}" > "$out" 2>&1 &
wrk=$!
until [ "$(grep -c '^fleet-thread' "$out")" = 2 ]; do
  kill -0 $wrk 2>/dev/null || { cat "$out" >&2; exit 1; }
  sleep 0.1
done
kill $wrk; wait $wrk 2>/dev/null || true
awk '/^fleet-thread/ {if (!s || $2 < s) s = $2; if ($3 > e) e = $3; r += $4}
     END {ms = e - s; printf "%d (%d of 3200 in %.0f ms)\n", (3200 - r) * 1000 / ms, 3200 - r, ms}' "$out"
rm -f "$out"
