#!/usr/bin/env bash
# Runs one fuzz target for a number of seconds with its seeds, dictionary and limits.
#
#   fuzz/run.sh TARGET [SECONDS]      (default 600; needs a nightly toolchain and `cargo install cargo-fuzz`)
#
# New inputs go to fuzz/corpus/TARGET (not committed); the seeds are read, never written. A crash, hang
# (over 10 s for one input) or out-of-memory (over 2 GB) stops the run and leaves the input in
# fuzz/artifacts/TARGET; copy it to fuzz/regressions/TARGET/ with a name saying what it found, fix the bug, and
# `cargo test --test fuzz_regressions` replays it from then on.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: fuzz/run.sh TARGET [SECONDS]}
seconds=${2:-600}
max_len=16384
case $target in
  html)      seeds=(seeds/html ../data/demo/corpus/html ../tests/fixtures/small/corpus); dict=dict/html.dict; max_len=65536 ;;
  pdf)       seeds=(seeds/pdf ../data/demo/corpus/pdf ../tests/fixtures/bad_inputs); dict=dict/pdf.dict; max_len=65536 ;;
  robots)    seeds=(seeds/robots); dict=dict/robots.dict ;;
  config)    seeds=(../data/uptake.toml ../data/sources-igf.toml ../tests/fixtures/small/uptake.toml ../tests/fixtures/ripple/uptake.toml); dict=dict/toml.dict ;;
  catalogue) seeds=(../data/catalogue.toml ../tests/fixtures/small/catalogue.toml ../tests/fixtures/ripple/catalogue.toml); dict=dict/toml.dict ;;
  normalize) seeds=(seeds/normalize ../data/demo/outputs); dict= ;;
  detect)    seeds=(seeds/detect); dict= ;;
  *) echo "unknown target $target (html, pdf, robots, config, catalogue, normalize, detect)" >&2; exit 2 ;;
esac
# libFuzzer reads seed folders, not files: gather single files into one folder.
seed_dir=$(mktemp -d)
trap 'rm -rf "$seed_dir"' EXIT
n=0
while IFS= read -r -d '' f; do
  n=$((n + 1)); cp "$f" "$seed_dir/$n-$(basename "$f")"   # numbered: seeds from two folders may share a name
done < <(find "${seeds[@]}" $( [ -d "regressions/$target" ] && echo "regressions/$target" ) -type f -print0)
mkdir -p "corpus/$target"
args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" -print_final_stats=1)
[ -n "$dict" ] && args+=(-dict="$dict")
exec cargo +nightly fuzz run "$target" "corpus/$target" "$seed_dir" -- "${args[@]}"
