#!/bin/sh
# The container's entry point (and the Slurm scripts'): turns the engine's environment into `--shard K/N` and runs
# uptake. An existing engine runs the shards; this script only reads what it says (see docs/deploy.md).
#
#   shard-entry.sh run|crawl|detect [ARGS...]   ->  uptake COMMAND --shard K/N ARGS...
#   shard-entry.sh merge [ARGS...]              ->  uptake merge --shards N ARGS...
#   shard-entry.sh OTHER [ARGS...]              ->  uptake OTHER ARGS...        (report, query, eval, --help)
#   shard-entry.sh                              ->  uptake run --shard K/N
#
# K, the shard (counted from 0), is the first of:
#   UPTAKE_SHARD          set by hand (re-running one shard)
#   JOB_COMPLETION_INDEX  a Kubernetes Indexed Job (0 .. completions-1)
#   SLURM_ARRAY_TASK_ID   a Slurm job array (--array=0-(N-1))
# minus UPTAKE_SHARD_BASE (default 0; 1 for an array numbered 1..N).
# N, the number of shards, is the first of:
#   UPTAKE_SHARDS           set in the Job or the sbatch script (Kubernetes does not tell a pod its `completions`)
#   SLURM_ARRAY_TASK_COUNT  only when the array is whole (its first index is UPTAKE_SHARD_BASE, its last N-1+base),
#                           so a re-run of one task (--array=2) cannot pass for a run of one shard
# UPTAKE_RESULTS_URL, when set (s3://bucket/prefix, gs://..., az://..., file://...), adds `--results-url` to
# run, crawl, detect and merge: the shards copy their folders there and the merge reads them from there, so the
# workers need no shared disk (credentials from AWS_*, GOOGLE_*, AZURE_*; see docs/deploy.md).
# UPTAKE_BIN names the binary (default: `uptake` on the PATH).
# Exit code 2 (finished, some inputs skipped: they are in the `skipped` table and the report) counts as success
# unless UPTAKE_STRICT=1, so an engine does not retry a shard for a dead link; any other failure is passed on.
set -eu

bin=${UPTAKE_BIN:-uptake}
fail() {
    echo "shard-entry: $*" >&2
    exit 64
}
is_count() {
    case $1 in '' | *[!0-9]*) return 1 ;; *) return 0 ;; esac
}

shard_count() {
    if [ -n "${UPTAKE_SHARDS:-}" ]; then
        is_count "$UPTAKE_SHARDS" || fail "UPTAKE_SHARDS=$UPTAKE_SHARDS is not a whole number"
        echo "$UPTAKE_SHARDS"
        return
    fi
    if [ -n "${SLURM_ARRAY_TASK_COUNT:-}" ]; then
        base=${UPTAKE_SHARD_BASE:-0}
        min=${SLURM_ARRAY_TASK_MIN:-}
        max=${SLURM_ARRAY_TASK_MAX:-}
        count=$SLURM_ARRAY_TASK_COUNT
        if is_count "$count" && is_count "$min" && is_count "$max" && [ "$min" -eq "$base" ] &&
            [ "$max" -eq $((count - 1 + base)) ]; then
            echo "$count"
            return
        fi
        fail "the Slurm array (indices $min-$max, $count tasks) is not the whole run: set UPTAKE_SHARDS=N"
    fi
    fail "no shard count: set UPTAKE_SHARDS=N (Kubernetes: the Job's completions)"
}

shard_index() {
    k=${UPTAKE_SHARD:-${JOB_COMPLETION_INDEX:-${SLURM_ARRAY_TASK_ID:-}}}
    [ -n "$k" ] || fail "no shard index: set UPTAKE_SHARD, or run as a Kubernetes Indexed Job (JOB_COMPLETION_INDEX) or a Slurm array (SLURM_ARRAY_TASK_ID)"
    is_count "$k" || fail "shard index $k is not a whole number"
    base=${UPTAKE_SHARD_BASE:-0}
    is_count "$base" || fail "UPTAKE_SHARD_BASE=$base is not a whole number"
    [ "$k" -ge "$base" ] || fail "shard index $k is below UPTAKE_SHARD_BASE=$base"
    echo $((k - base))
}

# Runs uptake and exits with its code (2 counted as success unless strict); never returns.
run_uptake() {
    status=0
    "$bin" "$@" || status=$?
    if [ "$status" -eq 2 ] && [ "${UPTAKE_STRICT:-0}" != 1 ]; then
        echo "shard-entry: uptake finished with some inputs skipped (exit 2; see the skipped table): counted as done" >&2
        exit 0
    fi
    exit "$status"
}

command=${1:-run}
[ "$#" -gt 0 ] && shift
case $command in
run | crawl | detect)
    n=$(shard_count)
    k=$(shard_index)
    [ "$n" -ge 1 ] || fail "the shard count must be at least 1"
    [ "$k" -lt "$n" ] || fail "shard $k is not below the shard count $n (shards count from 0)"
    echo "shard-entry: $command shard $k/$n" >&2
    if [ -n "${UPTAKE_RESULTS_URL:-}" ]; then
        run_uptake "$command" --shard "$k/$n" --results-url "$UPTAKE_RESULTS_URL" "$@"
    fi
    run_uptake "$command" --shard "$k/$n" "$@"
    ;;
merge)
    n=$(shard_count)
    echo "shard-entry: merge $n shards" >&2
    if [ -n "${UPTAKE_RESULTS_URL:-}" ]; then
        run_uptake merge --shards "$n" --results-url "$UPTAKE_RESULTS_URL" "$@"
    fi
    run_uptake merge --shards "$n" "$@"
    ;;
*)
    run_uptake "$command" "$@"
    ;;
esac
