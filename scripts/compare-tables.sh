#!/bin/sh
# Compares the tables of two output folders byte for byte: every table of `uptake::load::TABLES` (as listed by
# the caller, default the 15 of docs/tables.md) must exist in both and be the same file.
# Usage: scripts/compare-tables.sh OLD_OUT NEW_OUT
set -eu
old=$1
new=$2
tables="documents outputs mentions passages uptake links skipped crawl_log metrics ripple themes citations scorecard theme_mentions cites"
status=0
for t in $tables; do
    if cmp -s "$old/$t.parquet" "$new/$t.parquet"; then
        echo "same      $t"
    else
        echo "DIFFERENT $t"
        status=1
    fi
done
exit $status
