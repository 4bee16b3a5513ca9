#!/usr/bin/env bash
# Submits a sharded uptake run to Slurm: an array of N shard tasks (--array=0-(N-1)) and the merge, which waits
# for all of them (--dependency=afterok:<array job>; a task that fails holds the merge back, and `scontrol
# requeue` or a re-submitted task lets it go once fixed).
# Usage: UPTAKE_CONFIG=/shared/uptake.toml UPTAKE_OUT=/shared/out deploy/slurm/submit.sh N
# Run it from the repository root (the scripts find deploy/shard-entry.sh from there) with `uptake` on the PATH
# or UPTAKE_BIN set.
set -euo pipefail
n=${1:?usage: submit.sh N (the number of shards)}
case $n in '' | *[!0-9]* | 0) echo "submit.sh: N must be a whole number above 0, not $n" >&2; exit 64 ;; esac
: "${UPTAKE_CONFIG:?set UPTAKE_CONFIG to the config file}"
: "${UPTAKE_OUT:?set UPTAKE_OUT to the results folder on the shared file system}"
here=$(cd "$(dirname "$0")" && pwd)
export UPTAKE_SHARDS=$n
shards=$(sbatch --parsable --array="0-$((n - 1))" --export=ALL "$here/shards.sbatch")
shards=${shards%%;*}
merge=$(sbatch --parsable --dependency="afterok:$shards" --export=ALL "$here/merge.sbatch")
echo "shards: job $shards (array 0-$((n - 1))); merge: job $merge, after all of them"
