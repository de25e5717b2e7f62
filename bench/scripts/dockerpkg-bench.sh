#!/usr/bin/env bash
# berth against docker-pkg itself on generated docker-pkg trees (bench/scripts/make-dockerpkg-tree.py:
# busybox seed, COPY + two RUN + USER {{ "nobody" | uid }} and a test.sh per image), one run each:
#   cold       first build of the whole tree (with every test.sh)
#   no-op      the same build again
#   leaf       one leaf's file changed and `update LEAF` (docker-pkg rebuilds only on a new version)
#   root       `update img00`: the root and everything on it rebuilt, without cache
# Both run `docker-pkg -c config.yaml build --no-pull .` (berth: `berth docker-pkg …`) in the tree;
# docker-pkg runs from its source (DOCKER_PKG_SRC, a checkout of wikimedia/operations-docker-images-
# docker-pkg) on Debian's python3-docker/jinja2/debian/requests/yaml against dockerd; only builds are timed.
# Usage: bench/scripts/dockerpkg-bench.sh [COUNT…]   (default: 6 30)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${WORK:-/tmp/berth-dockerpkg-bench}"
src="${DOCKER_PKG_SRC:?set DOCKER_PKG_SRC to a docker-pkg source checkout}"
counts=("$@"); [ $# -eq 0 ] && counts=(6 30)
export DOCKER_HOST=unix:///var/run/docker.sock
docker=/usr/bin/docker
rm -rf "$work"; mkdir -p "$work"
berth="$repo/berth"
"$berth" --version >/dev/null   # builds the jar and the launcher's archive outside the timings
now() { date +%s.%N; }
timed() { local start; start=$(now); "$@" >>"$work/out.log" 2>&1 || echo "FAILED ($?): $*" >&2; echo "$(now) - $start" | bc; }
dockerpkg() { PYTHONPATH="$src" /usr/bin/python3 -c 'import docker_pkg.cli as c; c.main()' "$@"; }
clean_engine() {  # the images either tool put into dockerd for these trees
  $docker images --format '{{.Repository}}:{{.Tag}}' | grep -E '^(dp/)?img[0-9]+:' | xargs -r $docker rmi -f >/dev/null 2>&1 || true
  $docker image prune -f >/dev/null 2>&1 || true
}
rootfs="$("$repo/examples/make-busybox-rootfs")"
$docker import "$rootfs" bench/busybox:1 >/dev/null
export BERTH_STORE="$work/store"
"$berth" import "$rootfs" --as bench/busybox:1 >/dev/null

run_tool() {  # TOOL COUNT: prints "cold noop leaf root"
  local tool="$1" count="$2" tree="$work/$1-$2" leaf
  python3 "$repo/bench/scripts/make-dockerpkg-tree.py" "$tree" "$count" bench/busybox:1 >/dev/null
  [ "$tool" = docker-pkg ] && echo "namespace: dp" >> "$tree/config.yaml"
  leaf=$(printf 'img%02d' $((count - 1)))
  local build update
  if [ "$tool" = docker-pkg ]; then
    build=(dockerpkg -c config.yaml build --no-pull .); update=(dockerpkg -c config.yaml update)
  else
    build=("$berth" docker-pkg -c config.yaml build --no-pull .); update=("$berth" docker-pkg -c config.yaml update)
  fi
  cd "$tree"
  local cold noop leaf_t root_t
  cold=$(timed "${build[@]}")
  noop=$(timed "${build[@]}")
  echo "changed" >> "$leaf/data.txt"; "${update[@]}" "$leaf" . >/dev/null
  leaf_t=$(timed "${build[@]}")
  "${update[@]}" img00 . >/dev/null
  root_t=$(timed "${build[@]}")
  grep -h "ERROR" docker-pkg-build.log 2>/dev/null | head -3 >&2 || true
  cd "$work"
  echo "$cold $noop $leaf_t $root_t"
}

printf '%-7s %-10s %8s %8s %8s %8s\n' images tool cold no-op leaf root
for count in "${counts[@]}"; do
  clean_engine
  read -r dc dn dl dr < <(run_tool docker-pkg "$count")
  clean_engine
  read -r bc bn bl br < <(run_tool berth "$count")
  clean_engine
  printf '%-7s %-10s %8.2f %8.2f %8.2f %8.2f\n' "$count" docker-pkg "$dc" "$dn" "$dl" "$dr"
  printf '%-7s %-10s %8.2f %8.2f %8.2f %8.2f\n' "$count" berth "$bc" "$bn" "$bl" "$br"
  printf '%-7s %-10s %7.1fx %7.1fx %7.1fx %7.1fx\n' "$count" "speed-up" "$(echo "$dc/$bc" | bc -l)" \
    "$(echo "$dn/$bn" | bc -l)" "$(echo "$dl/$bl" | bc -l)" "$(echo "$dr/$br" | bc -l)"
done
