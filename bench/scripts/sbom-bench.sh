#!/usr/bin/env bash
# What the SBOM and provenance add to a build: the 3-image chain of run-chain-bench.sh (a Debian base
# from scripts/make-debian-base, `apt: [jq]` on it, a COPY of 50 MB on that) built cold and then
# again with nothing changed, once with `--sbom none` and once with `--sbom spdx` (the default), each
# in a fresh store, in one run. Cold builds include apt-get's downloads, so the difference of two
# cold runs is noisy; the log's per-image lines are kept in WORKDIR for a closer look.
# Usage: bench/scripts/sbom-bench.sh [WORKDIR]   (root; needs runc)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:-/tmp/berth-sbom-bench}"
rm -rf "$work"; mkdir -p "$work"
debian="$("$repo/scripts/make-debian-base")"
[ -f "$repo/berth-cli/target/berth.jar" ] || (cd "$repo" && mvn -B -q -o -DskipTests package)
berth() { "$repo/berth" "$@"; }
now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc; }

mkdir -p "$work/tree/jq" "$work/tree/data/data"
python3 - "$work/tree/data/data" <<'PY'
import os, random, sys
rng = random.Random(3)
for i in range(20):
    with open(os.path.join(sys.argv[1], f"part{i:02d}.bin"), "wb") as f:
        f.write(rng.randbytes(1_250_000) + b"x" * 1_250_000)
PY
printf 'base: bench/debian:bookworm\napt: [jq]\n' > "$work/tree/jq/image.yaml"
printf 'base: jq\ncopy:\n  - {src: data/, dest: /data}\n' > "$work/tree/data/image.yaml"
berth --version >/dev/null

declare -A cold noop
for mode in none spdx; do
  store="$work/store-$mode"
  berth import "$debian" --as bench/debian:bookworm --store "$store" >/dev/null
  rm -rf "$work/tree/.berth"
  start=$(now); berth build "$work/tree" --sbom "$mode" --store "$store" >/dev/null 2>"$work/$mode-cold.log"; cold[$mode]=$(elapsed "$start")
done
for round in 1 2 3; do  # no-op runs alternate, so that the machine's load falls on both alike
  for mode in none spdx; do
    start=$(now); berth build "$work/tree" --sbom "$mode" --store "$work/store-$mode" >/dev/null 2>"$work/$mode-noop.log"
    noop[$mode]="${noop[$mode]:-} $(elapsed "$start")"
  done
done
median() { printf '%s\n' $1 | sort -n | sed -n 2p; }
for mode in none spdx; do noop[$mode]=$(median "${noop[$mode]}"); done
berth sbom "jq:$(berth store ls --store "$work/store-spdx" | awk '$1 ~ /^jq:/ {sub("jq:","",$1); print $1; exit}')" \
  --store "$work/store-spdx" | grep -c '"SPDXID"' | sed 's/^/SPDX elements in the jq image: /'
grep -h 'SBOM and provenance attached' "$work/spdx-cold.log" | sed 's/^/  /'
attached_ms=$(grep -ho 'attached in [0-9]* ms' "$work/spdx-cold.log" | awk '{s += $3} END {print s + 0}')
printf '%-14s %8s %8s   (no-op: median of 3)\n' "--sbom" cold no-op
for mode in none spdx; do printf '%-14s %8.2f %8.2f\n' "$mode" "${cold[$mode]}" "${noop[$mode]}"; done
printf 'SBOM cost, measured in the build: %d ms = %.1f %% of the cold build (target < 5 %%)\n' \
  "$attached_ms" "$(echo "$attached_ms / 10 / ${cold[spdx]}" | bc -l)"
printf 'difference of the two cold runs: %+.2f s (apt downloads make it noisy); no-op: %+.2f s (nothing is done)\n' \
  "$(echo "${cold[spdx]} - ${cold[none]}" | bc -l)" "$(echo "${noop[spdx]} - ${noop[none]}" | bc -l)"
grep -q 'SBOM and provenance' "$work/spdx-noop.log" && echo "a no-op wrote an SBOM: wrong" >&2 && exit 1
true
