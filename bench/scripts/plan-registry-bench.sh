#!/usr/bin/env bash
# `berth plan --push` of the generated 1,000-image tree (make-tree.py 10 20) against a loopback registry
# that holds every image (published once by `berth build --push`), from an empty store: every key is
# asked of the registry (target <= 2.0 s). Timed with hyperfine, whole processes: berth in a JVM of its
# own, and through its resident process (BERTH_DAEMON=on; hyperfine's warm-up runs start and warm it).
# Usage: bench/scripts/plan-registry-bench.sh [RUNS] [WORKDIR]   (needs hyperfine, docker-registry, python3)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-10}"; work="${2:-/tmp/berth-plan-registry-bench}"
berth="$repo/berth"
for tool in hyperfine docker-registry python3; do command -v $tool >/dev/null || { echo "missing $tool" >&2; exit 1; }; done
mkdir -p "$work/runtime" "$work/empty"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/registry.yml" <<YAML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $work/registry}}
http: {addr: 127.0.0.1:$port, secret: bench, draintimeout: 1s}
YAML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry=$!
daemons() { pgrep -f dev.berth.cli.Resident | while read -r p; do
  tr '\0' '\n' < "/proc/$p/environ" 2>/dev/null | grep -qx "XDG_RUNTIME_DIR=$work/runtime" && echo "$p"; done; }
trap 'kill $registry 2>/dev/null || true; for p in $(daemons); do kill "$p" 2>/dev/null || true; done' EXIT
for _ in $(seq 100); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.05; done
"$berth" --version >/dev/null   # builds the jar and its class-data archive outside the timings
if [ ! -d "$work/tree" ]; then python3 "$repo/bench/scripts/make-tree.py" "$work/tree" 10 20 >/dev/null; fi
echo "publishing 1,000 images to 127.0.0.1:$port (once)…" >&2
"$berth" build "$work/tree" --store "$work/store" --push --registry "127.0.0.1:$port/bench" >/dev/null 2>&1
plan=(plan "$work/tree" --store "$work/empty" --push --registry "127.0.0.1:$port/bench")
"$berth" "${plan[@]}" | tail -1   # every image "in the registry"
echo "load before: $(uptime)"
hyperfine -N -w 1 -r "$runs" -n "berth plan --push, own JVM" "$berth ${plan[*]}"
hyperfine -N -w 10 -r "$runs" -n "berth plan --push, resident process" \
  "env BERTH_DAEMON=on XDG_RUNTIME_DIR=$work/runtime $berth ${plan[*]}"
echo "load after: $(uptime)"
