#!/usr/bin/env bash
# Where a cold build of the generated docker-pkg tree (make-dockerpkg-tree.py) goes, from berth's own
# events (--progress=json, timed on arrival): start-up and plan, then per image when its build started
# and ended, how long its checks (load into dockerd + test.sh) took and when it was reported verified.
# Usage: bench/scripts/dockerpkg-breakdown.sh [COUNT] [BERTH]   (default: 6, this checkout's ./berth)
# A fresh store and tree each time; the tree's images are removed from dockerd first.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
count="${1:-6}"; berth="${2:-$repo/berth}"
work="${WORK:-/tmp/berth-dockerpkg-breakdown}"
rm -rf "$work"; mkdir -p "$work"
export DOCKER_HOST=unix:///var/run/docker.sock BERTH_STORE="$work/store"
docker images --format '{{.Repository}}:{{.Tag}}' | grep -E '^(dp/)?img[0-9]+:' | xargs -r docker rmi -f >/dev/null 2>&1 || true
"$berth" import "$("$repo/examples/make-busybox-rootfs")" --as bench/busybox:1 >/dev/null
python3 "$repo/bench/scripts/make-dockerpkg-tree.py" "$work/tree" "$count" bench/busybox:1 >/dev/null
cd "$work/tree"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$berth" <<'PY'
import json, subprocess, sys, time
start = time.time()
proc = subprocess.Popen([sys.argv[1], "docker-pkg", "-c", "config.yaml", "build", "--progress=json", "--no-pull", "."],
                        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
seen, first = {}, None
for line in proc.stderr:
    now = time.time() - start
    try:
        event = json.loads(line)
    except ValueError:
        continue
    first = now if first is None else first
    times = seen.setdefault(event.get("image"), {})
    times.setdefault(event.get("type"), now)
    if event.get("type") == "Verified":
        times["check"] = event.get("duration")
proc.wait()
print("exit %d, whole process %.2f s; first event (JVM start, scan, render, plan) at %.2f s" % (
    proc.returncode, time.time() - start, first))
for image, times in sorted((k, v) for k, v in seen.items() if k):
    print("  %s  build %.2f-%.2f s (%.2f s)  checks %s s  reported verified at %.2f s" % (
        image, times["BuildStarted"], times["Built"], times["Built"] - times["BuildStarted"], times.get("check"),
        times.get("Verified", float("nan"))))
PY
