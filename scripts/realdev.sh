#!/usr/bin/env bash
# The real-page development set for reference detection (docs/references.md): third-party page texts live in a
# local folder, never in this repository; the labels (URL, outputs cited, form) are tests/realdev/labels.toml.
#   scripts/realdev.sh DIR          score uptake on DIR/corpus/*.txt against the labels
# DIR/corpus holds one text file per labelled `path` and manifest-*.csv files (path,url); this script joins them
# into DIR/corpus/manifest.csv and writes DIR/uptake.toml pointing at the repository's catalogue.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
dir="$(cd "${1:?usage: scripts/realdev.sh DIR}" && pwd)"
labels="${LABELS:-$here/tests/realdev/labels.toml}"
catalogue="${CATALOGUE:-$here/data/catalogue.toml}"
{
    echo "path,url"
    for m in "$dir"/corpus/manifest-*.csv; do tail -n +2 "$m"; done
} > "$dir/corpus/manifest.csv"
cat > "$dir/uptake.toml" <<TOML
catalogue = "$catalogue"
out_dir = "$dir/out"

[[source]]
name = "realdev"
kind = "dir"
path = "corpus"
TOML
exec "${UPTAKE:-$here/target/debug/uptake}" -q eval --config "$dir/uptake.toml" --expected "$labels"
