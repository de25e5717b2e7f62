#!/usr/bin/env bash
# The Dockerfile parity corpus (berth-cli/src/test/corpus, busybox and scratch bases) built cold:
# by berth (the whole corpus as one tree, one run), by dockerd's legacy builder and by its BuildKit
# (one `docker build --no-cache` per case, in one loop each). Cases a builder refuses count in its
# time; cases berth refuses while reading the tree are left out of every builder's run.
# Usage: bench/scripts/corpus-bench.sh [WORKDIR]   (root; needs dockerd running and busybox-static)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:-/tmp/berth-corpus-bench}"
rm -rf "$work"; mkdir -p "$work/tree"
(cd "$repo" && mvn -B -q -o -DskipTests -pl berth-cli -am package)
berth() { "$repo/berth" "$@"; }
docker() { /usr/bin/docker -H unix:///var/run/docker.sock "$@"; }
now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc; }

# The same base in both: a busybox root file system imported by berth, loaded into dockerd.
busybox="$("$repo/examples/make-busybox-rootfs")"
berth import "$busybox" --as busybox:latest --store "$work/store" >/dev/null
berth copy busybox:latest "docker-archive:$work/busybox.tar" --store "$work/store" >/dev/null
docker load -i "$work/busybox.tar" >/dev/null

for case in "$repo"/berth-cli/src/test/corpus/*/; do
  name="$(basename "$case")"
  cp -a "$case" "$work/tree/$name"
  if [ -f "$work/tree/$name/setup.sh" ]; then (cd "$work/tree/$name" && sh -e setup.sh && rm setup.sh); fi
done
# Leave out what berth refuses while reading the tree (a parse error stops the whole tree).
mkdir -p "$work/refused"
while ! out="$(berth plan "$work/tree" --store "$work/store" 2>&1 >/dev/null)"; do
  name="$(echo "$out" | sed -n "s|.*$work/tree/\([^/]*\)/.*|\1|p" | head -1)"
  [ -n "$name" ] || { echo "$out" >&2; exit 1; }
  mv "$work/tree/$name" "$work/refused/"
done
cases=("$work"/tree/*/)
echo "cases: ${#cases[@]} built by each ($(ls "$work/refused" | wc -l) refused while reading left out)"

start="$(now)"
berth build "$work/tree" -j 2 --store "$work/store" >"$work/berth.out" 2>&1 || true
echo "berth (one tree, one run, cold):   $(elapsed "$start") s; $(grep -c '^verified' "$work/berth.out") built"

for builder in 0 1; do
  label=$([ "$builder" = 0 ] && echo "legacy builder" || echo "BuildKit      ")
  start="$(now)"; built=0
  for dir in "${cases[@]}"; do
    name="$(basename "$dir")"
    if DOCKER_BUILDKIT=$builder docker build -q --no-cache --network host -t "berth-bench/$name:$builder" "$dir" \
        >/dev/null 2>&1; then built=$((built + 1)); fi
  done
  echo "docker $label (one build per case): $(elapsed "$start") s; $built built"
done
docker image rm -f $(docker images -q 'berth-bench/*' | sort -u) >/dev/null 2>&1 || true
