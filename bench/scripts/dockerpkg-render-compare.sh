#!/usr/bin/env bash
# Renders every Dockerfile.template of a docker-pkg tree with docker-pkg itself (the oracle) and with
# `berth render`, and compares them byte for byte.
#
# Usage: dockerpkg-render-compare.sh TREE CONFIG [DOCKER_PKG_SOURCE]
#   TREE               e.g. a checkout of production-images: <checkout>/images
#   CONFIG             its config.yaml
#   DOCKER_PKG_SOURCE  a checkout of wikimedia/operations-docker-images-docker-pkg (default: a
#                      worktree of /work/.mirror/wikimedia+operations-docker-images-docker-pkg/repo)
# Needs Debian's python3-jinja2 python3-debian python3-docker python3-requests python3-yaml python3-attr.
# Both sides run with an empty $XDG_CONFIG_HOME, so no user docker-pkg.yaml takes part.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
berth="$here/../../berth"
tree="$1"; config="$2"; source="${3:-}"
work="$(mktemp -d "${TMPDIR:-/tmp}/dockerpkg-compare.XXXXXX")"
trap 'rm -rf "$work"' EXIT
if [ -z "$source" ]; then
  source="$work/docker-pkg"
  mkdir -p "$source"
  git --git-dir=/work/.mirror/wikimedia+operations-docker-images-docker-pkg/repo archive HEAD | tar -x -C "$source"
fi
mkdir -p "$work/xdg"
XDG_CONFIG_HOME="$work/xdg" /usr/bin/python3 "$here/dockerpkg-oracle.py" "$source" "$tree" "$config" "$work/docker-pkg-out" >/dev/null
XDG_CONFIG_HOME="$work/xdg" "$berth" render "$tree" --config "$config" --output-dir "$work/berth-out" >/dev/null 2>"$work/berth.err" || true
equal=0; differing=0; refused=0
for oracle in "$work/docker-pkg-out"/*; do
  name="$(basename "$oracle")"
  if [ "${name##*.}" = error ] && [ -f "$work/berth-out/$name" ]; then
    refused=$((refused + 1))   # both refuse the template (the messages differ by design)
  elif cmp -s "$oracle" "$work/berth-out/$name"; then
    equal=$((equal + 1))
  else
    differing=$((differing + 1))
    echo "differs: $name"
    if [ -f "$work/berth-out/$name" ]; then
      diff -u "$oracle" "$work/berth-out/$name" | head -20 | cut -c1-300 || true
    else
      echo "  berth wrote: $(ls "$work/berth-out" | grep -F "${name%.*}." | head -1)"
    fi
  fi
done
extra=$(comm -13 <(ls "$work/docker-pkg-out") <(ls "$work/berth-out") | wc -l)
echo "templates: $((equal + differing + refused)); equal: $equal; differing: $differing; refused by both: $refused; only berth rendered: $extra"
[ "$differing" -eq 0 ] && [ "$extra" -eq 0 ]
