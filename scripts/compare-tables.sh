#!/usr/bin/env bash
# Compares every table of two output folders, row by row in order, through `uptake query` (CSV of the columns both
# folders' tables have; a column only one side has is named, and counts as a difference only with --strict).
# Usage: scripts/compare-tables.sh [--strict] UPTAKE_BINARY OUT_A OUT_B
# Prints one line per table ("same" or a diff excerpt) and exits 1 when any table differs or is missing from one.
# `documents.extract_key` is left out: it is salted with the uptake binary itself (size and modification time), so
# two builds never agree on it, by design (a new binary extracts again). Columns added since a folder was written
# (the list columns beside joined strings, say) are reported as added, so an older run can still be compared.
set -u
strict=0
if [ "${1:-}" = --strict ]; then strict=1; shift; fi
bin=$1 a=$2 b=$3
status=0
tables=$( (ls "$a"/*.parquet "$b"/*.parquet) 2>/dev/null | xargs -n1 basename | sed 's/\.parquet$//' | sort -u)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
columns() { # the header of table $2 in folder $1, one name per line
  "$bin" -q query --out "$1" --sql "SELECT * FROM $2 LIMIT 0" --format csv 2>/dev/null | head -1 | tr ',' '\n'
}
for t in $tables; do
  if [ ! -f "$a/$t.parquet" ] || [ ! -f "$b/$t.parquet" ]; then
    echo "$t: missing from one folder"; status=1; continue
  fi
  columns "$a" "$t" > "$tmp/ca"; columns "$b" "$t" > "$tmp/cb"
  common=$(grep -Fxf "$tmp/cb" "$tmp/ca" | grep -vx extract_key | sed 's/.*/"&"/' | paste -sd, -)
  only=$( (grep -Fvxf "$tmp/cb" "$tmp/ca" | sed 's/^/-/'; grep -Fvxf "$tmp/ca" "$tmp/cb" | sed 's/^/+/') | paste -sd' ' -)
  if [ -n "$only" ]; then
    echo "$t: columns on one side only: $only"
    [ "$strict" = 1 ] && status=1
  fi
  sql="SELECT $common FROM $t"
  "$bin" -q query --out "$a" --sql "$sql" --format csv > "$tmp/a.csv" 2>"$tmp/a.err" || { echo "$t: query failed on $a: $(cat "$tmp/a.err")"; status=1; continue; }
  "$bin" -q query --out "$b" --sql "$sql" --format csv > "$tmp/b.csv" 2>"$tmp/b.err" || { echo "$t: query failed on $b: $(cat "$tmp/b.err")"; status=1; continue; }
  if cmp -s "$tmp/a.csv" "$tmp/b.csv"; then
    echo "$t: same ($(($(wc -l < "$tmp/a.csv") - 1)) rows)"
  else
    echo "$t: DIFFERS"; diff "$tmp/a.csv" "$tmp/b.csv" | head -5; status=1
  fi
done
exit $status
