#!/usr/bin/env bash
# The 3-image chain of ENVIRONMENT.md — a Debian base, `apt-get install jq` on it, a COPY of 50 MB on
# that — built cold and then again with nothing changed, by berth, by `docker build` (legacy builder,
# host network) and by `buildah bud --isolation chroot` (overlay storage), in one run.
# Usage: bench/scripts/run-chain-bench.sh [WORKDIR]   (root; needs dockerd running, buildah, skopeo)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:-/tmp/berth-chain-bench}"
rm -rf "$work"; mkdir -p "$work"
debian="$("$repo/scripts/make-debian-base")"
(cd "$repo" && mvn -B -q -DskipTests package)
berth() { "$repo/berth" "$@"; }  # the launcher, as users run it (C1, class-data sharing)
docker() { /usr/bin/docker -H unix:///var/run/docker.sock "$@"; }
now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc; }

# Inputs: 50 MB of data in 20 files, deterministic.
mkdir -p "$work/ctx/data"
python3 - "$work/ctx/data" <<'PY'
import os, random, sys
rng = random.Random(3)
for i in range(20):
    with open(os.path.join(sys.argv[1], f"part{i:02d}.bin"), "wb") as f:
        f.write(bytes(rng.getrandbits(8) for _ in range(2_500_000 // 2)) + b"x" * (2_500_000 // 2))
PY

# berth: a tree of two images on an imported base.
mkdir -p "$work/tree/jq" "$work/tree/data"
printf 'base: bench/debian:bookworm\napt: [jq]\n' > "$work/tree/jq/image.yaml"
cp -r "$work/ctx/data" "$work/tree/data/data"
printf 'base: jq\ncopy:\n  - {src: data/, dest: /data}\n' > "$work/tree/data/image.yaml"
berth import "$debian" --as bench/debian:bookworm --store "$work/store" >/dev/null   # unpacks it, as docker import does
berth --version >/dev/null   # the launcher's class-data archive is made once, outside the timings
start=$(now); berth build "$work/tree" --store "$work/store" >/dev/null 2>"$work/berth-cold.log"; berth_cold=$(elapsed "$start")
start=$(now); berth build "$work/tree" --store "$work/store" >/dev/null 2>"$work/berth-noop.log"; berth_noop=$(elapsed "$start")

# docker build, legacy builder.
docker import "$debian" bench/debian:bookworm >/dev/null
printf 'FROM bench/debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends jq && rm -rf /var/lib/apt/lists/*\n' > "$work/ctx/Dockerfile.jq"
printf 'FROM bench/jq\nCOPY data/ /data/\n' > "$work/ctx/Dockerfile.data"
docker rmi -f bench/jq bench/data >/dev/null 2>&1 || true
docker builder prune -af >/dev/null 2>&1 || true
start=$(now)
DOCKER_BUILDKIT=0 docker build -q --network host -t bench/jq -f "$work/ctx/Dockerfile.jq" "$work/ctx" >/dev/null
DOCKER_BUILDKIT=0 docker build -q --network host -t bench/data -f "$work/ctx/Dockerfile.data" "$work/ctx" >/dev/null
docker_cold=$(elapsed "$start")
start=$(now)
DOCKER_BUILDKIT=0 docker build -q --network host -t bench/jq -f "$work/ctx/Dockerfile.jq" "$work/ctx" >/dev/null
DOCKER_BUILDKIT=0 docker build -q --network host -t bench/data -f "$work/ctx/Dockerfile.data" "$work/ctx" >/dev/null
docker_noop=$(elapsed "$start")

# buildah bud, chroot isolation, overlay storage in its own root.
buildah_cold=n/a; buildah_noop=n/a
if command -v buildah >/dev/null; then
  bs=(--root "$work/buildah/root" --runroot "$work/buildah/run" --storage-driver overlay)
  skopeo copy -q "oci:$work/store:bench/debian:bookworm" "containers-storage:[overlay@$work/buildah/root+$work/buildah/run]localhost/bench/debian:bookworm"
  sed 's|FROM bench/debian:bookworm|FROM localhost/bench/debian:bookworm|' "$work/ctx/Dockerfile.jq" > "$work/ctx/Buildahfile.jq"
  sed 's|FROM bench/jq|FROM localhost/bench/jq|' "$work/ctx/Dockerfile.data" > "$work/ctx/Buildahfile.data"
  start=$(now)
  buildah "${bs[@]}" bud -q --isolation chroot --network host --layers -t bench/jq -f "$work/ctx/Buildahfile.jq" "$work/ctx" >/dev/null
  buildah "${bs[@]}" bud -q --isolation chroot --network host --layers -t bench/data -f "$work/ctx/Buildahfile.data" "$work/ctx" >/dev/null
  buildah_cold=$(elapsed "$start")
  start=$(now)
  buildah "${bs[@]}" bud -q --isolation chroot --network host --layers -t bench/jq -f "$work/ctx/Buildahfile.jq" "$work/ctx" >/dev/null
  buildah "${bs[@]}" bud -q --isolation chroot --network host --layers -t bench/data -f "$work/ctx/Buildahfile.data" "$work/ctx" >/dev/null
  buildah_noop=$(elapsed "$start")
fi
printf '%-24s %8s %8s\n' tool cold no-op
printf '%-24s %8.2f %8.2f\n' berth "$berth_cold" "$berth_noop"
printf '%-24s %8.2f %8.2f\n' "docker build (legacy)" "$docker_cold" "$docker_noop"
if [ "$buildah_cold" != n/a ]; then printf '%-24s %8.2f %8.2f\n' "buildah bud (chroot)" "$buildah_cold" "$buildah_noop"; fi
printf 'berth cold / docker cold = %.2f (target <= 0.9); berth no-op = %.2f s (target <= 0.3)\n' \
  "$(echo "$berth_cold / $docker_cold" | bc -l)" "$berth_noop"
