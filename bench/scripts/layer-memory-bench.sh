#!/usr/bin/env bash
# Peak memory of building and of pushing a single-layer image whose layer is 20 MB, then 2 GB (random
# bytes, one copied file on scratch, gzip as by default): /usr/bin/time -v's maximum resident set size
# of each whole berth process, with the JVM's default heap, and for the big layer again capped at
# -Xmx64m. Streaming means the figures stay flat as the layer grows 100-fold, and the capped run succeeds.
# Usage: bench/scripts/layer-memory-bench.sh [BIG_MB]   (needs docker-registry, /usr/bin/time, a built berth jar)
set -euo pipefail
BIG_MB=${1:-2048}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
for tool in docker-registry /usr/bin/time; do command -v $tool >/dev/null || { echo "missing $tool" >&2; exit 1; }; done
WORK=$(mktemp -d /tmp/berth-memory-bench.XXXXXX)
PID=
cleanup() { [ -n "$PID" ] && { kill -TERM "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }; rm -rf "$WORK"; }
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$WORK/registry.yml" <<YAML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $WORK/registry}}
http: {addr: 127.0.0.1:$port, secret: bench, draintimeout: 1s}
YAML
docker-registry serve "$WORK/registry.yml" >"$WORK/registry.log" 2>&1 &
PID=$!
for _ in $(seq 100); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.05; done

rss() {  # $1 = label, rest = command: runs it under time -v, prints label, seconds and peak RSS in MB
  local label=$1; shift
  /usr/bin/time -v "$@" >"$WORK/out" 2>"$WORK/time" || { cat "$WORK/out" "$WORK/time" >&2; exit 1; }
  awk -v l="$label" -F': ' '/Maximum resident set size/ {kb=$2} /Elapsed \(wall clock\)/ {w=$2}
    END {printf "%-34s %10s s  peak RSS %6.0f MB\n", l, w, kb/1024}' "$WORK/time"
}

echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
for run in "20 default" "$BIG_MB default" "$BIG_MB 64m"; do
  read -r mb heap <<<"$run"
  tree=$WORK/tree-$mb
  if [ ! -f "$tree/big/data.bin" ]; then
    rm -rf "$WORK"/tree-*
    mkdir -p "$tree/big"
    printf 'base: scratch\ncopy:\n  - {src: data.bin, dest: /data.bin}\n' > "$tree/big/image.yaml"
    head -c $((mb * 1024 * 1024)) /dev/urandom > "$tree/big/data.bin"
  fi
  store=$WORK/store-$mb-$heap
  printf 'registry: 127.0.0.1:%s/memory-%s-%s\n' "$port" "$mb" "$heap" > "$tree/berth.yaml"  # a fresh repository
  if [ $heap = default ]; then opts=(); else opts=(env "BERTH_JAVA_OPTS=-Xmx$heap -XX:+UseSerialGC"); fi
  rss "build ${mb} MB layer (heap $heap)" "${opts[@]}" "$ROOT/berth" build "$tree" --store "$store" --progress=plain
  rss "push  ${mb} MB layer (heap $heap)" "${opts[@]}" "$ROOT/berth" build "$tree" --store "$store" --push --progress=plain
  grep -q "published" "$WORK/time" || { echo "no push in the second run" >&2; cat "$WORK/time" >&2; exit 1; }
  rm -rf "$store"
done
