#!/usr/bin/env bash
# The 3-image chain as Dockerfiles — a Debian base (scripts/make-debian-base), `apt-get install jq`
# on it, a COPY of 50 MB on that — built by berth (one tree of two Dockerfile images) and by BuildKit
# through dockerd (DOCKER_BUILDKIT=1, two `docker build`s), cold and then with nothing changed, in one
# hyperfine run (installed with apt-get when missing). Cold: berth starts from a store holding only the
# imported base; BuildKit from an engine without the two images and with its build cache pruned.
# Prints hyperfine's table and the machine's load average before and after.
# Usage: bench/scripts/dockerfile-chain-bench.sh [WORKDIR] [RUNS]   (root; dockerd running)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:-/tmp/berth-dockerfile-chain-bench}"
runs="${2:-5}"
rm -rf "$work"; mkdir -p "$work"
command -v hyperfine >/dev/null || apt-get install -y -qq hyperfine >/dev/null
debian="$("$repo/scripts/make-debian-base")"
(cd "$repo" && mvn -B -q -o -DskipTests -pl berth-cli -am package)
berth="$repo/berth"
docker="/usr/bin/docker -H unix:///var/run/docker.sock"

# 50 MB of data in 20 files, deterministic (half random, half constant, as run-chain-bench.sh).
mkdir -p "$work/tree/jq" "$work/tree/data/data"
python3 - "$work/tree/data/data" <<'PY'
import os, random, sys
rng = random.Random(3)
for i in range(20):
    with open(os.path.join(sys.argv[1], f"part{i:02d}.bin"), "wb") as f:
        f.write(rng.randbytes(1_250_000) + b"x" * 1_250_000)
PY
cat > "$work/tree/jq/Dockerfile" <<'EOF'
FROM bench/debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends jq && rm -rf /var/lib/apt/lists/*
EOF
printf 'FROM jq\nCOPY data/ /data/\n' > "$work/tree/data/Dockerfile"
# BuildKit builds the same Dockerfiles; the second names the first as the engine knows it.
mkdir -p "$work/docker"
cp "$work/tree/jq/Dockerfile" "$work/docker/Dockerfile.jq"
printf 'FROM bench/jq\nCOPY data/ /data/\n' > "$work/docker/Dockerfile.data"

# berth: a pristine store holding the imported base, copied in before every cold run.
"$berth" import "$debian" --as bench/debian:bookworm --store "$work/store0" >/dev/null
"$berth" --version >/dev/null   # the launcher's class-data archive is made once, outside the timings
$docker import "$debian" bench/debian:bookworm >/dev/null

cat > "$work/berth-reset.sh" <<EOF
rm -rf "$work/store" "$work/tree/.berth"; cp -a "$work/store0" "$work/store"
EOF
cat > "$work/buildkit-reset.sh" <<EOF
$docker rmi -f bench/jq bench/data >/dev/null 2>&1 || true
$docker builder prune -af >/dev/null 2>&1 || true
EOF
cat > "$work/buildkit-build.sh" <<EOF
set -e
DOCKER_BUILDKIT=1 $docker build -q --network host -t bench/jq -f "$work/docker/Dockerfile.jq" "$work/tree/jq" >/dev/null
DOCKER_BUILDKIT=1 $docker build -q --network host -t bench/data -f "$work/docker/Dockerfile.data" "$work/tree/data" >/dev/null
EOF
berth_build="$berth build $work/tree --store $work/store"

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine --runs "$runs" --style basic --export-markdown "$work/results.md" --export-json "$work/results.json" \
  -n "berth cold" --prepare "sh $work/berth-reset.sh" "$berth_build" \
  -n "BuildKit cold" --prepare "sh $work/buildkit-reset.sh" "sh $work/buildkit-build.sh"
hyperfine --runs "$runs" --warmup 1 --style basic --export-markdown "$work/results-noop.md" \
  --export-json "$work/results-noop.json" \
  -n "berth no-op" "$berth_build" \
  -n "BuildKit no-op" "sh $work/buildkit-build.sh"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$work/results.md" "$work/results-noop.md"
