#!/usr/bin/env bash
# Runs CI (`bash .ci/run`) on a loaded machine: a fresh clone of this repository's HEAD, with a copy
# of ../shared beside it as CI has, while two busy loops keep two cores busy. Repeats N times in a
# row (default 3), prints each run's wall time and result, and exits non-zero if any run failed.
#
#   bash scripts/ci-under-load.sh [runs]
#
# Each run's output goes to <temporary folder>/run-<n>.log; the folder is kept when a run fails.
set -euo pipefail

runs="${1:-3}"
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: bash scripts/ci-under-load.sh [runs]  (runs: a positive whole number, default 3)" >&2
  exit 2
fi

repo="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
shared="$repo/../shared"
work="$(mktemp -d "${TMPDIR:-/tmp}/ci-under-load.XXXXXX")"

busy=()
stop_busy() {
  for pid in "${busy[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${busy[@]}"; do wait "$pid" 2>/dev/null || true; done
  busy=()
}
trap stop_busy EXIT
trap 'exit 130' INT TERM

# Two processes that keep both cores busy for the whole time.
for _ in 1 2; do
  node -e 'for(;;){}' &
  busy+=("$!")
done
echo "busy loops: ${busy[*]}; runs: $runs; logs in $work"

failed=0
for run in $(seq 1 "$runs"); do
  dir="$work/run-$run"
  mkdir -p "$dir"
  git clone --quiet "$repo" "$dir/main"
  if [ -d "$shared" ]; then cp -R "$shared" "$dir/shared"; fi
  log="$work/run-$run.log"
  started=$(date +%s)
  if (cd "$dir/main" && CI=true bash .ci/run) >"$log" 2>&1; then result=passed; else
    result=FAILED
    failed=$((failed + 1))
  fi
  took=$(($(date +%s) - started))
  printf 'run %d of %d: %s in %dm%02ds (%s)\n' "$run" "$runs" "$result" $((took / 60)) $((took % 60)) "$log"
  # A passing run's clone is not needed any more (its node_modules are large).
  if [ "$result" = passed ]; then rm -rf "$dir"; fi
done

if [ "$failed" -gt 0 ]; then
  echo "$failed of $runs runs failed; logs and failed clones in $work" >&2
  exit 1
fi
echo "all $runs runs passed under load"
rm -rf "$work"
