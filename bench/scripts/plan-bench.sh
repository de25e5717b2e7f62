#!/usr/bin/env bash
# Whole-process `berth plan` timings with hyperfine (mean ± sd), with the machine's load printed:
#  - production-images (a checkout of wikimedia/operations-docker-images-production-images, its
#    config.yaml, bases in STORE, --pull=never): the first plan (render cache removed before each
#    run) and later plans (render cache warm);
#  - the generated 1,000-image tree (make-tree.py 10 20), everything in its store (built first).
# Set BASE_JAR to a berth.jar of another build to time it side by side (its class-data archive is
# made by the launcher before the timings).
# Usage: bench/scripts/plan-bench.sh CHECKOUT STORE [RUNS] [WORKDIR]   (needs hyperfine, python3)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
checkout="$(cd "$1" && pwd)"; store="$(cd "$2" && pwd)"; runs="${3:-10}"; work="${4:-/tmp/berth-plan-bench}"
berth="$repo/berth"
mkdir -p "$work"
rm -rf "$work/pi"; cp -a "$checkout" "$work/pi"
"$berth" --version >/dev/null   # builds the jar and its class-data archive, outside the timings
launchers=("$berth")
if [ -n "${BASE_JAR:-}" ]; then
  BERTH_JAR="$BASE_JAR" "$berth" --version >/dev/null
  launchers+=("env BERTH_JAR=$BASE_JAR $berth")
fi
if [ ! -d "$work/tree" ]; then
  python3 "$repo/bench/scripts/make-tree.py" "$work/tree" 10 20 >/dev/null
  "$berth" build "$work/tree" --store "$work/tree-store" >/dev/null 2>&1
fi
pi=(plan "$work/pi/images" --config "$work/pi/config.yaml" --pull=never --store "$store")
echo "load before: $(uptime)"
for launcher in "${launchers[@]}"; do
  hyperfine -N -i -w 1 -r "$runs" -p "rm -rf $work/pi/images/.berth" -n "first plan, production-images: $launcher" \
    "$launcher ${pi[*]}"
  hyperfine -N -i -w 1 -r "$runs" -n "later plan, production-images: $launcher" "$launcher ${pi[*]}"
  hyperfine -N -w 1 -r "$runs" -n "plan, 1,000 images all stored: $launcher" \
    "$launcher plan $work/tree --store $work/tree-store"
done
echo "load after: $(uptime)"
