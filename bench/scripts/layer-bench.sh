#!/usr/bin/env bash
# Layer creation from a ~500 MB directory of mixed files: berth (gzip, zstd) against
# `tar -c | gzip -6` and `tar -c | zstd -3` on the same directory, in one run.
# Usage: bench/scripts/layer-bench.sh [WORKDIR]   (needs: mvn, python3, gzip, zstd, tar)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:-/tmp/berth-layer-bench}"
mkdir -p "$work"
data="$work/data"
if [ ! -d "$data" ]; then
  python3 - "$data" <<'PY'
import os, random, sys
root = sys.argv[1]
rng = random.Random(7)
words = [("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))) for _ in range(5000)]
def text(n):
    out = []
    size = 0
    while size < n:
        w = rng.choice(words)
        out.append(w)
        size += len(w) + 1
    return (" ".join(out)).encode()[:n]
total = 0
# many small source-like files: ~150 MB
for i in range(15000):
    d = os.path.join(root, "src", f"pkg{i % 300:03d}")
    os.makedirs(d, exist_ok=True)
    body = text(rng.randint(2000, 18000))
    open(os.path.join(d, f"f{i:05d}.py"), "wb").write(body)
    total += len(body)
# medium mixed files: ~150 MB
for i in range(300):
    d = os.path.join(root, "lib")
    os.makedirs(d, exist_ok=True)
    n = 500_000
    half = bytearray(rng.getrandbits(8) for _ in range(n // 4))
    body = bytes(half) + text(n - len(half))
    open(os.path.join(d, f"m{i:03d}.so"), "wb").write(body)
    total += len(body)
# a few large, partly compressible: ~200 MB
for i in range(4):
    d = os.path.join(root, "share")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"big{i}.dat"), "wb") as fh:
        for _ in range(50):
            chunk = os.urandom(250_000) + text(750_000)
            fh.write(chunk)
            total += len(chunk)
print(f"generated {total/1e6:.0f} MB in {root}")
PY
fi
(cd "$repo" && mvn -B -q -DskipTests -pl bench -am package)
jar="$repo/bench/target/benchmarks.jar"
mb=$(du -sb "$data" | awk '{print $1/1e6}')
cat "$data"/*/* "$data"/src/*/* >/dev/null 2>&1 || true  # warm the page cache for every contender
t() { local start end; start=$(date +%s.%N); "$@"; end=$(date +%s.%N); echo "$end - $start" | bc; }
tar_gzip=$(t sh -c "tar -C '$data' -cf - . | gzip -6 > '$work/tar.gz'")
tar_zstd=$(t sh -c "tar -C '$data' -cf - . | zstd -q -3 > '$work/tar.zst'")
java -cp "$jar" dev.berth.bench.LayerBench "$data" gzip "$work/berth.gz" | tee "$work/berth-gzip.txt"
java -cp "$jar" dev.berth.bench.LayerBench "$data" zstd "$work/berth.zst" | tee "$work/berth-zstd.txt"
berth_gzip=$(awk '{print $3}' "$work/berth-gzip.txt")
berth_zstd=$(awk '{print $3}' "$work/berth-zstd.txt")
gzip -t "$work/berth.gz" && zstd -q -t "$work/berth.zst"
printf 'input: %.0f MB on %s cores\n' "$mb" "$(nproc)"
printf 'tar | gzip -6 : %6.2f s  %6.1f MB/s\n' "$tar_gzip" "$(echo "$mb / $tar_gzip" | bc -l)"
printf 'berth gzip    : %6.2f s  %6.1f MB/s  (%.2fx tar|gzip -6; target >= 1.8x)\n' "$berth_gzip" "$(echo "$mb / $berth_gzip" | bc -l)" "$(echo "$tar_gzip / $berth_gzip" | bc -l)"
printf 'tar | zstd -3 : %6.2f s  %6.1f MB/s\n' "$tar_zstd" "$(echo "$mb / $tar_zstd" | bc -l)"
printf 'berth zstd    : %6.2f s  %6.1f MB/s  (%.2fx tar|zstd -3; target >= 0.9x)\n' "$berth_zstd" "$(echo "$mb / $berth_zstd" | bc -l)" "$(echo "$tar_zstd / $berth_zstd" | bc -l)"
