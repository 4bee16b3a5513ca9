#!/usr/bin/env bash
# Runs a sharded uptake on Kubernetes with kubectl: the results volume, the Indexed Job of the shards, and, once
# every index has succeeded, the merge Job. Kubernetes has no dependency between Jobs; `kubectl wait` is it.
# Usage: deploy/k8s/run.sh [TIMEOUT]   (TIMEOUT for each Job, default 24h; set the namespace with kubectl's context)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
timeout=${1:-24h}
kubectl apply -f "$here/results-pvc.yaml"
# a Job's template cannot change: the previous run's Jobs go first (their results stay on the volume)
kubectl delete job uptake-shards uptake-merge --ignore-not-found
kubectl apply -f "$here/shards-job.yaml"
if ! kubectl wait --for=condition=complete job/uptake-shards --timeout="$timeout"; then
    echo "run.sh: the shards did not all succeed; see: kubectl logs -l app.kubernetes.io/component=shard" >&2
    exit 1
fi
kubectl apply -f "$here/merge-job.yaml"
kubectl wait --for=condition=complete job/uptake-merge --timeout="$timeout"
kubectl logs job/uptake-merge
