#!/usr/bin/env bash
# A 30-image tree (three roots, each with three children, each with two: depth 3) whose every image
# has a RUN step that waits (`sleep 2`, standing in for package downloads), built cold by berth on a
# fleet of 1, 2 and 3 Docker engines (scripts/test-engines: loopback TCP, mutual TLS) sharing one
# registry, in one run. Reports each wall time, the throughput ratio against one worker, and the
# dispatch overhead per image: the time from a parent's publish to its child's build start (journal).
# Where cgroup v1's cpuacct is writable, the engines (dockerd, containerd, shims, runc), berth and the
# registry each run in a cgroup of their own, and each run reports the CPU seconds they used: on a
# machine with C cores, a run cannot take less than (CPU seconds) / C, whatever the number of workers.
# It also prints this tree's scheduling bound: the ratio reachable if every image took the same time.
# Usage: bench/scripts/fleet-bench.sh [WORKDIR]   (root; SLOTS=images per worker at once, default 2;
#        SLEEP=seconds each RUN step waits, default 2; BERTH_NO_PACKAGE=1 to use the jar already built)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:-/tmp/berth-fleet-bench}"
slots="${SLOTS:-2}"
sleep_s="${SLEEP:-2}"
rm -rf "$work"; mkdir -p "$work"
[ -n "${BERTH_NO_PACKAGE:-}" ] || (cd "$repo" && mvn -B -q -o -DskipTests -pl berth-cli -am package)
berth() { java -jar "$repo/berth-cli/target/berth.jar" "$@" --store "$work/store"; }
now() { date +%s.%N; }

# cpuacct cgroups: engines, berth, registry (CPU seconds per run); none where cgroup v1 is not writable
cg=/sys/fs/cgroup/cpuacct/berth-fleet-bench-$$
if mkdir -p "$cg/engines" "$cg/berth" "$cg/registry" 2>/dev/null; then :; else cg=; fi
in_group() { local group=$1; shift; if [ -n "$cg" ]; then (echo "$BASHPID" >"$cg/$group/cgroup.procs"; exec "$@"); else "$@"; fi; }
cpu_ns() { if [ -n "$cg" ]; then cat "$cg/$1/cpuacct.usage"; else echo 0; fi; }

port=25170
cat >"$work/registry.yml" <<YAML
version: 0.1
storage: {filesystem: {rootdirectory: $work/registry}}
http: {addr: 127.0.0.1:$port, draintimeout: 5s}
YAML
# the registry's own pid (not a subshell's), so that cleanup stops it
( [ -z "$cg" ] || echo "$BASHPID" >"$cg/registry/cgroup.procs"; exec docker-registry serve "$work/registry.yml" ) \
  >"$work/registry.log" 2>&1 &
registry_pid=$!
cleanup() {
  "$repo/scripts/test-engines" stop "$work/engines" || true
  kill "$registry_pid" 2>/dev/null || true
  wait "$registry_pid" 2>/dev/null || true
  [ -z "$cg" ] || rmdir "$cg/engines" "$cg/berth" "$cg/registry" "$cg" 2>/dev/null || true
}
trap cleanup EXIT
in_group engines "$repo/scripts/test-engines" start "$work/engines" 3 23870
reg="127.0.0.1:$port"

busybox="$("$repo/examples/make-busybox-rootfs")"
berth import "$busybox" --as busybox:1 >/dev/null
berth push busybox:1 "$reg/base/busybox:1" >/dev/null

tree() {  # tree DIR SALT
  mkdir -p "$1"; echo "registry: $reg/fleet" >"$1/berth.yaml"
  image() { mkdir -p "$1/$2"; printf 'base: %s\nrun:\n  - echo %s %s > /%s && sleep %s\nverify:\n  - test -f /%s\n' \
    "$3" "$2" "$4" "$2" "$sleep_s" "$2" >"$1/$2/image.yaml"; }
  for r in 1 2 3; do
    image "$1" "r$r" "$reg/base/busybox:1" "$2"
    for c in 1 2 3; do
      image "$1" "r${r}c$c" "r$r" "$2"
      for g in 1 2; do image "$1" "r${r}c${c}g$g" "r${r}c$c" "$2"; done
    done
  done
}

declare -A seconds cpu
for n in 1 2 3; do
  tree "$work/tree$n" "bench-$n-$(date +%s%N)"
  args=()
  for i in $(seq 1 "$n"); do args+=(--worker "$(cat "$work/engines/w$i/url"),tls=$work/engines/client"); done
  berth plan "$work/tree$n" >/dev/null   # resolve the base into the store before timing
  e0=$(cpu_ns engines); b0=$(cpu_ns berth); r0=$(cpu_ns registry)
  start="$(now)"
  in_group berth java -jar "$repo/berth-cli/target/berth.jar" build "$work/tree$n" "${args[@]}" -j "$slots" \
    --store "$work/store" >"$work/out$n.txt" 2>"$work/err$n.txt"
  seconds[$n]="$(echo "$(now) - $start" | bc)"
  e=$(( $(cpu_ns engines) - e0 )); b=$(( $(cpu_ns berth) - b0 )); r=$(( $(cpu_ns registry) - r0 ))
  echo "workers=$n slots=$slots images=30 sleep=${sleep_s}s seconds=${seconds[$n]}"
  if [ -n "$cg" ]; then
    total=$(( e + b + r ))
    printf '  cpu seconds: engines %.1f, berth %.1f, registry %.1f; total %.1f = %.2f per image;' \
      "$(bc -l <<<"$e/10^9")" "$(bc -l <<<"$b/10^9")" "$(bc -l <<<"$r/10^9")" "$(bc -l <<<"$total/10^9")" \
      "$(bc -l <<<"$total/30/10^9")"
    printf ' on %d cores no run can take less than %.1f s\n' "$(nproc)" "$(bc -l <<<"$total/$(nproc)/10^9")"
  fi
done
python3 - "$slots" <<'PY'
import heapq, sys
def finish(slots):  # the tree above, every image taking one unit, greedy in readiness order
    queue, running, t, free = ["r1", "r2", "r3"], [], 0, slots
    kids = lambda n: [n + "c%d" % c for c in (1, 2, 3)] if len(n) == 2 else [n + "g%d" % g for g in (1, 2)] if len(n) == 4 else []
    while queue or running:
        while queue and free:
            heapq.heappush(running, (t + 1, queue.pop(0))); free -= 1
        t, n = heapq.heappop(running); free += 1; queue += kids(n)
    return t
s = int(sys.argv[1])
print("scheduling bound (equal image times): 2 workers %.2f, 3 workers %.2f" % (finish(s) / finish(2 * s), finish(s) / finish(3 * s)))
PY
for n in 2 3; do
  echo "throughput ratio $n workers / 1 worker: $(echo "scale=2; ${seconds[1]} / ${seconds[$n]}" | bc)"
done
for n in 1 2 3; do
  python3 - "$work/tree$n/.berth/journal.log" "$n" <<'PY'
import json, sys, datetime, statistics
published, started = {}, {}
for line in open(sys.argv[1]):
    try: j = json.loads(line)
    except ValueError: continue
    t = datetime.datetime.fromisoformat(j.get("time", "").replace("Z", "+00:00")[:26] + "+00:00") if "time" in j else None
    if j.get("state") == "published": published[j["image"]] = t
    if j.get("state") == "building": started[j["image"]] = t
gaps = [(started[c] - published[c[:-2]]).total_seconds() for c in started if "c" in c and c[:-2] in published]
print("workers=%s dispatch overhead (parent published -> child building), %d children: min %.3f s, median %.3f s, mean %.3f s, max %.3f s"
      % (sys.argv[2], len(gaps), min(gaps), statistics.median(gaps), statistics.mean(gaps), max(gaps)))
PY
done
