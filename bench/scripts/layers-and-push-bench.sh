#!/usr/bin/env bash
# Issue 18's layer and push comparisons in one run: layer creation (berth gzip/zstd against tar piped
# into gzip -6 / zstd -3), the first and the repeat push of a ~150 MB image (berth against skopeo), and
# the peak memory of building and pushing a 20 MB and a 2 GB single-layer image. Ends with the RESULT lines.
# Usage: bench/scripts/layers-and-push-bench.sh [ROUNDS] [BIG_MB]
set -euo pipefail
ROUNDS=${1:-3}
BIG_MB=${2:-2048}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
(cd "$repo" && mvn -B -q -DskipTests -pl berth-cli,bench -am package)
log=$(mktemp /tmp/berth-layers-and-push.XXXXXX)
echo "== layers" | tee -a "$log"
"$here/layer-bench.sh" /tmp/berth-layer-bench "$ROUNDS" | tee -a "$log"
echo "== push" | tee -a "$log"
"$here/push-bench.sh" "$ROUNDS" | tee -a "$log"
echo "== memory" | tee -a "$log"
"$here/layer-memory-bench.sh" "$BIG_MB" | tee -a "$log"
echo "== summary"
grep '^RESULT' "$log"
rm -f "$log"
