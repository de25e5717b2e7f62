#!/usr/bin/env bash
# Layer creation from a ~500 MB directory of mixed files: berth (gzip, zstd) against
# `tar -c | gzip -6` and `tar -c | zstd -3` on the same directory, interleaved, ROUNDS times in one run.
# berth's JVM gets the options ./berth gives `berth build` (serial GC, C2 thresholds raised); set
# BERTH_BENCH_JAVA_OPTS to replace them (BERTH_BENCH_JAVA_OPTS= for the JVM's defaults). With BASE_JAR (a
# benchmarks.jar of another commit) each round also times that jar, for a before/after in one run.
# Prints each round's times and ratios (tool time / berth time: above 1 means berth is faster), the CPU
# seconds of both whole processes (user + sys: on a shared machine the steadier figure), then
# a RESULT line per codec with the worst and median ratio.
# Usage: bench/scripts/layer-bench.sh [WORKDIR] [ROUNDS]   (needs: mvn, python3, gzip, zstd, tar)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:-/tmp/berth-layer-bench}"
rounds="${2:-3}"
mkdir -p "$work"
data="$work/data"
if [ ! -d "$data" ]; then
  python3 "$repo/bench/scripts/make-layer-data.py" "$data"
fi
jar="$repo/bench/target/benchmarks.jar"
[ -f "$jar" ] || (cd "$repo" && mvn -B -q -DskipTests -pl bench -am package)
mb=$(du -sb "$data" | awk '{print $1/1e6}')
cat "$data"/*/* "$data"/src/*/* >/dev/null 2>&1 || true  # warm the page cache for every contender
# t CMD…: runs CMD, prints its wall seconds, and appends its CPU seconds (user + sys, children included) to $work/cpu
t() { /usr/bin/time -f '%e %U %S' -o "$work/time" "$@" >/dev/null; awk '{print $2 + $3}' "$work/time" >> "$work/cpu"; awk '{print $1}' "$work/time"; }
# the JVM options ./berth gives a build (its collector and its C2 thresholds, read from the launcher), so that
# the layer is written as in `berth build`; BERTH_BENCH_JAVA_OPTS replaces them (empty: the JVM's defaults)
launcher_jit=$(sed -n 's/^jit="\(.*\)"$/\1/p' "$repo/berth" | head -n 1)
[ -n "$launcher_jit" ] || { echo "cannot read the build's JIT options from $repo/berth" >&2; exit 1; }
java_opts=${BERTH_BENCH_JAVA_OPTS-"-XX:+UseSerialGC $launcher_jit"}
berth_layer() {  # $1 = gzip|zstd [$2 = jar]: prints berth's own seconds for the layer (JVM start excluded, as in a build)
  t sh -c "java $java_opts -cp '${2:-$jar}' dev.berth.bench.LayerBench '$data' '$1' '$work/berth.$1${2:+.base}' >> '$work/berth-$1.txt'" >/dev/null
  tail -n 1 "$work/berth-$1.txt" | awk '{print $3}'
}
base_jar=${BASE_JAR:-}
printf 'input: %.0f MB on %s cores, load %s; berth JVM options: %s\n' "$mb" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "${java_opts:-(defaults)}"
: > "$work/ratios"; : > "$work/cpu"
cpu_ratio() { tail -n 2 "$work/cpu" | tr '\n' ' ' | awk '{printf "%.1f/%.1f CPU s", $1, $2}'; }
for round in $(seq "$rounds"); do
  tar_gzip=$(t sh -c "tar -C '$data' -cf - . | gzip -6 > '$work/tar.gz'")
  berth_gzip=$(berth_layer gzip); cpu_gzip=$(cpu_ratio)
  tar_zstd=$(t sh -c "tar -C '$data' -cf - . | zstd -q -3 > '$work/tar.zst'")
  berth_zstd=$(berth_layer zstd); cpu_zstd=$(cpu_ratio)
  gzip -t "$work/berth.gzip" && zstd -q -t "$work/berth.zstd"
  if [ -n "$base_jar" ]; then
    base_gzip=$(berth_layer gzip "$base_jar"); base_cpu_gzip=$(tail -n 1 "$work/cpu")
    base_zstd=$(berth_layer zstd "$base_jar"); base_cpu_zstd=$(tail -n 1 "$work/cpu")
    cmp -s "$work/berth.gzip" "$work/berth.gzip.base" && cmp -s "$work/berth.zstd" "$work/berth.zstd.base" \
      || echo "round $round: BASE_JAR's layers differ from this jar's" >&2
    printf 'round %d, BASE_JAR: gzip %6.2f s (%.2fx; %.1f CPU s) | zstd %6.2f s (%.2fx; %.1f CPU s)\n' "$round" \
      "$base_gzip" "$(echo "$tar_gzip / $base_gzip" | bc -l)" "$base_cpu_gzip" \
      "$base_zstd" "$(echo "$tar_zstd / $base_zstd" | bc -l)" "$base_cpu_zstd"
  fi
  rg=$(echo "$tar_gzip / $berth_gzip" | bc -l); rz=$(echo "$tar_zstd / $berth_zstd" | bc -l)
  echo "gzip $rg" >> "$work/ratios"; echo "zstd $rz" >> "$work/ratios"
  printf 'round %d: tar|gzip -6 %6.2f s, berth gzip %6.2f s (%.2fx; tar|gzip/berth %s) | tar|zstd -3 %6.2f s, berth zstd %6.2f s (%.2fx; %s)\n' \
    "$round" "$tar_gzip" "$berth_gzip" "$rg" "$cpu_gzip" "$tar_zstd" "$berth_zstd" "$rz" "$cpu_zstd"
done
printf 'layer digests (berth gzip, zstd): %s %s\n' "$(sha256sum < "$work/berth.gzip" | cut -c1-16)" "$(sha256sum < "$work/berth.zstd" | cut -c1-16)"
for codec in gzip zstd; do
  target=$([ $codec = gzip ] && echo 1.8 || echo 1.0)
  grep "^$codec " "$work/ratios" | awk '{print $2}' | sort -n | awk -v c=$codec -v t=$target \
    '{v[NR]=$1} END {printf "RESULT layer %s: worst %.2fx, median %.2fx of tar|%s (target >= %sx)\n", c, v[1], v[int((NR+1)/2)], c, t}'
done
