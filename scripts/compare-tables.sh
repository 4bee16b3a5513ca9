#!/usr/bin/env bash
# Compares every table of two output folders, row by row in order, through `uptake query` (CSV of every column).
# Usage: scripts/compare-tables.sh UPTAKE_BINARY OUT_A OUT_B
# Prints one line per table ("same" or a diff excerpt) and exits 1 when any table differs or is missing from one.
# `documents.extract_key` is left out: it is salted with the uptake binary itself (size and modification time), so
# two builds never agree on it, by design (a new binary extracts again).
set -u
bin=$1 a=$2 b=$3
status=0
tables=$( (ls "$a"/*.parquet "$b"/*.parquet) 2>/dev/null | xargs -n1 basename | sed 's/\.parquet$//' | sort -u)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for t in $tables; do
  sql="SELECT * FROM $t"
  [ "$t" = documents ] && sql="SELECT * EXCLUDE (extract_key) FROM $t"
  if [ ! -f "$a/$t.parquet" ] || [ ! -f "$b/$t.parquet" ]; then
    echo "$t: missing from one folder"; status=1; continue
  fi
  "$bin" -q query --out "$a" --sql "$sql" --format csv > "$tmp/a.csv" 2>"$tmp/a.err" || { echo "$t: query failed on $a: $(cat "$tmp/a.err")"; status=1; continue; }
  "$bin" -q query --out "$b" --sql "$sql" --format csv > "$tmp/b.csv" 2>"$tmp/b.err" || { echo "$t: query failed on $b: $(cat "$tmp/b.err")"; status=1; continue; }
  if cmp -s "$tmp/a.csv" "$tmp/b.csv"; then
    echo "$t: same ($(($(wc -l < "$tmp/a.csv") - 1)) rows)"
  else
    echo "$t: DIFFERS"; diff "$tmp/a.csv" "$tmp/b.csv" | head -5; status=1
  fi
done
exit $status
