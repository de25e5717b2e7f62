#!/usr/bin/env bash
# A generated tree of 1,000 images (10 roots, depth 4, 20 small files each, file-only steps):
# the cold build (images per second), `berth plan` with everything in the store, and `berth plan
# --push` against a loopback registry holding everything (with an empty store), whole processes.
# Usage: bench/scripts/tree-bench.sh [WORKDIR]   (needs docker-registry, python3)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:-/tmp/berth-tree-bench}"
rm -rf "$work"; mkdir -p "$work"
(cd "$repo" && mvn -B -q -DskipTests -pl berth-cli -am package)
berth="$repo/berth"
now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc; }
count=$(python3 "$repo/bench/scripts/make-tree.py" "$work/tree" 10 20)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/registry.yml" <<YML
version: 0.1
storage: {filesystem: {rootdirectory: $work/registry}}
http: {addr: 127.0.0.1:$port, draintimeout: 5s}
log: {level: error}
YML
docker-registry serve "$work/registry.yml" > "$work/registry.log" 2>&1 &
registry_pid=$!
trap 'kill $registry_pid 2>/dev/null || true' EXIT
printf 'registry: 127.0.0.1:%s/bench\n' "$port" > "$work/tree/berth.yaml"
"$berth" --version >/dev/null   # the launcher's class-data archive is made once, outside the timings

start=$(now); "$berth" build "$work/tree" --store "$work/store" >/dev/null 2>&1; cold=$(elapsed "$start")
plan_times=()
for _ in 1 2 3; do
  start=$(now); "$berth" plan "$work/tree" --store "$work/store" >/dev/null; plan_times+=("$(elapsed "$start")")
done
start=$(now); "$berth" publish "$work/tree" --store "$work/store" >/dev/null 2>&1; publish=$(elapsed "$start")
remote_times=()
for _ in 1 2 3; do
  rm -rf "$work/empty-store"
  start=$(now); "$berth" plan "$work/tree" --push --store "$work/empty-store" >"$work/remote-plan.txt"; remote_times+=("$(elapsed "$start")")
done
tail -1 "$work/remote-plan.txt"
printf 'images: %s\n' "$count"
printf 'cold build: %.1f s = %.1f images/s\n' "$cold" "$(echo "$count / $cold" | bc -l)"
printf 'plan, all in the store: %s s (target <= 2)\n' "${plan_times[*]}"
printf 'publish of all images: %.1f s\n' "$publish"
printf 'plan --push, all in the registry, empty store: %s s (target <= 3)\n' "${remote_times[*]}"
