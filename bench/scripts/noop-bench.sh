#!/usr/bin/env bash
# Issue 18's no-op comparisons in one run (hyperfine, whole processes, every tool warm):
#  1. the 6-image generated docker-pkg tree (make-dockerpkg-tree.py: busybox seed, COPY, two RUN, USER,
#     test.sh), rebuilt with nothing changed: berth docker-pkg against docker-pkg itself (from its
#     source, DOCKER_PKG_SRC, on Debian's python3 packages, against dockerd);
#  2. the 3-image chain as Dockerfiles (a Debian base, `apt-get install jq` on it, a COPY of 50 MB on
#     that), rebuilt with nothing changed: berth against BuildKit (DOCKER_BUILDKIT=1, warm dockerd)
#     and buildah (`bud --layers`, chroot isolation, overlay storage) when installed;
#  3. `berth plan` of the 1,000-image tree of make-tree.py 10 20, everything in the store.
# berth runs twice in each: as users run it (the no-op fast path replays the recording the previous
# no-op made) and with BERTH_REPLAY=off (every input read again, through the digest cache).
# Each first builds cold outside the timings, waits a second (a recording is only made of inputs older
# than a second) and makes one no-op that records; hyperfine's warm-up runs come after that.
# Ends with the RESULT lines (berth's mean and its ratio to each of the others).
# Usage: DOCKER_PKG_SRC=DIR bench/scripts/noop-bench.sh [RUNS] [WORKDIR]   (root; dockerd; buildah optional)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-20}"
work="${2:-/tmp/berth-noop-bench}"
src="${DOCKER_PKG_SRC:?set DOCKER_PKG_SRC to a docker-pkg source checkout}"
command -v hyperfine >/dev/null || apt-get install -y -qq hyperfine >/dev/null
rm -rf "$work"; mkdir -p "$work"
export DOCKER_HOST=unix:///var/run/docker.sock
docker=/usr/bin/docker
berth="$repo/berth"
(cd "$repo" && mvn -B -q -o -DskipTests -pl berth-cli -am package)
"$berth" --version >/dev/null   # the launcher's class-data archive is made once, outside the timings
debian="$("$repo/scripts/make-debian-base")"
export XDG_CACHE_HOME="$work/cache"   # berth's recordings go here
hf() { hyperfine -N --style basic --warmup 3 --runs "$runs" "$@"; }
script() { printf '%s\n' "$2" > "$work/$1.sh"; echo "sh $work/$1.sh"; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. the docker-pkg tree
rootfs="$("$repo/examples/make-busybox-rootfs")"
$docker import "$rootfs" bench/busybox:1 >/dev/null
"$berth" import "$rootfs" --as bench/busybox:1 --store "$work/store" >/dev/null
for tool in berth docker-pkg; do
  python3 "$repo/bench/scripts/make-dockerpkg-tree.py" "$work/dp-$tool" 6 bench/busybox:1 >/dev/null
done
echo "namespace: dpnoop" >> "$work/dp-docker-pkg/config.yaml"
dockerpkg=$(script docker-pkg "cd $work/dp-docker-pkg && PYTHONPATH=$src exec /usr/bin/python3 -c 'import docker_pkg.cli as c; c.main()' -c config.yaml build --no-pull .")
berth_dp=$(script berth-dp "cd $work/dp-berth && exec $berth docker-pkg -c config.yaml build --no-pull . --store $work/store")
$dockerpkg >/dev/null 2>&1; $berth_dp >/dev/null
grep -q 'img05' "$work/dp-berth/.berth/state.json"
sleep 1.1; $berth_dp >/dev/null
cmp <($berth_dp) <(BERTH_REPLAY=off $berth_dp)   # the replay prints what a full run prints
hf --export-json "$work/dp.json" -n "berth docker-pkg" "$berth_dp" \
  -n "berth docker-pkg, BERTH_REPLAY=off" "env BERTH_REPLAY=off $berth_dp" -n "docker-pkg" "$dockerpkg"

# 2. the 3-image chain
mkdir -p "$work/chain/jq" "$work/chain/data/data" "$work/peer"
python3 - "$work/chain/data/data" <<'PY'
import os, random, sys
rng = random.Random(3)
for i in range(20):
    with open(os.path.join(sys.argv[1], f"part{i:02d}.bin"), "wb") as f:
        f.write(rng.randbytes(1_250_000) + b"x" * 1_250_000)
PY
printf '%s\n' 'FROM bench/debian:bookworm' \
  'RUN apt-get update && apt-get install -y --no-install-recommends jq && rm -rf /var/lib/apt/lists/*' \
  > "$work/chain/jq/Dockerfile"
printf 'FROM jq\nCOPY data/ /data/\n' > "$work/chain/data/Dockerfile"
cp "$work/chain/jq/Dockerfile" "$work/peer/Dockerfile.jq"
printf 'FROM bench/jq\nCOPY data/ /data/\n' > "$work/peer/Dockerfile.data"
"$berth" import "$debian" --as bench/debian:bookworm --store "$work/store" >/dev/null
$docker import "$debian" bench/debian:bookworm >/dev/null
buildkit=$(script buildkit "set -e
DOCKER_BUILDKIT=1 $docker build -q --network host -t bench/jq -f $work/peer/Dockerfile.jq $work/chain/jq >/dev/null
DOCKER_BUILDKIT=1 $docker build -q --network host -t bench/data -f $work/peer/Dockerfile.data $work/chain/data >/dev/null")
chain=(-n "berth build" "$berth build $work/chain --store $work/store"
  -n "berth build, BERTH_REPLAY=off" "env BERTH_REPLAY=off $berth build $work/chain --store $work/store"
  -n "BuildKit" "$buildkit")
if command -v buildah >/dev/null; then
  bs="--root $work/buildah/root --runroot $work/buildah/run --storage-driver overlay"
  skopeo copy -q "oci:$work/store:bench/debian:bookworm" \
    "containers-storage:[overlay@$work/buildah/root+$work/buildah/run]localhost/bench/debian:bookworm"
  sed 's|FROM bench/debian:bookworm|FROM localhost/bench/debian:bookworm|' "$work/peer/Dockerfile.jq" > "$work/peer/Buildahfile.jq"
  sed 's|FROM bench/jq|FROM localhost/bench/jq|' "$work/peer/Dockerfile.data" > "$work/peer/Buildahfile.data"
  buildah=$(script buildah "set -e
buildah $bs bud -q --isolation chroot --network host --layers -t bench/jq -f $work/peer/Buildahfile.jq $work/chain/jq >/dev/null
buildah $bs bud -q --isolation chroot --network host --layers -t bench/data -f $work/peer/Buildahfile.data $work/chain/data >/dev/null")
  $buildah
  chain+=(-n "buildah" "$buildah")
fi
$buildkit
"$berth" build "$work/chain" --store "$work/store" >/dev/null
sleep 1.1; "$berth" build "$work/chain" --store "$work/store" >/dev/null
hf --export-json "$work/chain.json" "${chain[@]}"

# 3. the 1,000-image plan
python3 "$repo/bench/scripts/make-tree.py" "$work/tree" 10 20 >/dev/null
"$berth" build "$work/tree" --store "$work/tree-store" >/dev/null 2>&1
sleep 1.1; "$berth" plan "$work/tree" --store "$work/tree-store" >/dev/null
hf --export-json "$work/plan.json" -n "berth plan" "$berth plan $work/tree --store $work/tree-store" \
  -n "berth plan, BERTH_REPLAY=off" "env BERTH_REPLAY=off $berth plan $work/tree --store $work/tree-store"

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
for name in ("dp", "chain", "plan"):
    results = json.load(open(f"{work}/{name}.json"))["results"]
    berth = results[0]
    print(f"RESULT {name}: {berth['command']}: {berth['mean']:.3f} s ± {berth['stddev']:.3f} (median {berth['median']:.3f})")
    for other in results[1:]:
        print(f"RESULT {name}:   {other['command']}: {other['mean']:.3f} s; berth at {berth['mean'] / other['mean']:.2f}x its time")
PY
