#!/usr/bin/env bash
# Push of a ~150 MB, 5-layer image from an OCI layout to a loopback registry: berth vs skopeo,
# first push (registry empty) and second push (every blob present). Each tool gets a fresh registry.
# Prints each round's whole-process times, then RESULT lines with berth's time as a multiple of skopeo's
# (targets: first push <= 1.0x, repeat push <= 2.0x), for berth in a JVM of its own ("berth") and
# through its resident process ("berth-d", BERTH_DAEMON=on, warmed by a few copies to another registry).
# Usage: bench/scripts/push-bench.sh [ROUNDS]   (needs docker-registry, skopeo, umoci, a built berth jar)
set -euo pipefail
ROUNDS=${1:-3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=$ROOT/berth-cli/target/berth.jar
[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q -DskipTests package)
for tool in docker-registry skopeo umoci; do command -v $tool >/dev/null || { echo "missing $tool" >&2; exit 1; }; done

WORK=$(mktemp -d /tmp/berth-push-bench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

LAYOUT=${BENCH_LAYOUT:-$HOME/.cache/berth-bench/push-layout}
if [ ! -f "$LAYOUT/index.json" ]; then
  echo "building the 5-layer OCI layout at $LAYOUT (once)" >&2
  rm -rf "$LAYOUT"; mkdir -p "$(dirname "$LAYOUT")"
  umoci init --layout "$LAYOUT"
  umoci new --image "$LAYOUT:bench"
  for i in 1 2 3 4 5; do
    mkdir -p "$WORK/layer$i/data"
    head -c $((30 * 1024 * 1024)) /dev/urandom > "$WORK/layer$i/data/blob$i.bin"
    umoci insert --image "$LAYOUT:bench" "$WORK/layer$i" /
    rm -rf "$WORK/layer$i"
  done
fi
echo "image: $(du -sm "$LAYOUT/blobs" | cut -f1) MB of blobs in $LAYOUT" >&2

start_registry() {  # $1 = name; sets PORT (not in a subshell, so that PIDS keeps the registry for cleanup)
  local dir=$WORK/$1 port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$dir"
  cat > "$dir/config.yml" <<YAML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $dir/storage}}
http: {addr: 127.0.0.1:$port, secret: bench, draintimeout: 1s}
YAML
  docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.05; done
  PORT=$port
}

now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2 - $1:.3f}')"; }

berth() { "$ROOT/berth" "$@"; }  # the launcher: C1 and class-data sharing, as users run it
berth-d() { BERTH_DAEMON=on XDG_RUNTIME_DIR="$WORK/runtime" "$ROOT/berth" "$@"; }
mkdir -p "$WORK/runtime"
start_registry warm
for _ in 1 2 3 4 5 6 7 8; do berth-d copy --store "$WORK/warm-store" "oci:$LAYOUT:bench" "docker://127.0.0.1:$PORT/bench/warm:1" >/dev/null; sleep 0.3; done
daemon_pids() { pgrep -f "dev.berth.cli.Resident" | while read -r p; do tr '\0' '\n' < "/proc/$p/environ" 2>/dev/null | grep -qx "XDG_RUNTIME_DIR=$WORK/runtime" && echo "$p"; done; }
trap 'for p in $(daemon_pids); do kill "$p" 2>/dev/null || true; done; cleanup' EXIT
STARTUP=$( { s=$(now); berth --version >/dev/null; e=$(now); elapsed "$s" "$e"; } )
echo "berth JVM start + --version: ${STARTUP}s (included in the berth times below)"
echo "berth's own transfer time (printed by berth copy) is in brackets"
printf '%-8s %-6s %10s %10s\n' tool round first_s second_s
RATIOS=$WORK/ratios
for round in $(seq "$ROUNDS"); do
  for tool in skopeo berth berth-d; do
    start_registry "$tool-$round"
    dest="docker://127.0.0.1:$PORT/bench/$tool:1"
    times=(); transfer=
    for pass in first second; do
      s=$(now)
      if [ $tool = skopeo ]; then
        skopeo copy -q --dest-tls-verify=false "oci:$LAYOUT:bench" "$dest" >/dev/null
      else
        transfer=$($tool copy --store "$WORK/store-$tool" "oci:$LAYOUT:bench" "$dest" | sed -n 's/.* in \([0-9.]*\) s:.*/\1/p')
      fi
      e=$(now); times+=("$(elapsed "$s" "$e")${transfer:+[$transfer]}")
    done
    printf '%-8s %-6s %10s %10s\n' "$tool" "$round" "${times[0]}" "${times[1]}"
    if [ $tool = skopeo ]; then sk=("${times[@]}"); else
      echo "$tool first $(python3 -c "print(${times[0]%%[*} / ${sk[0]})")" >> "$RATIOS"
      echo "$tool repeat $(python3 -c "print(${times[1]%%[*} / ${sk[1]})")" >> "$RATIOS"
    fi
    if [ $tool != skopeo ]; then
      a=$(skopeo inspect --tls-verify=false --raw "$dest" | sha256sum | cut -c1-64)
      b=$(skopeo inspect --raw "oci:$LAYOUT:bench" | sha256sum | cut -c1-64)
      [ "$a" = "$b" ] || { echo "digest mismatch: registry $a, layout $b" >&2; exit 1; }
    fi
  done
done
for tool in berth berth-d; do
  for kind in first repeat; do
    target=$([ $kind = first ] && echo 1.0 || echo 2.0)
    grep "^$tool $kind " "$RATIOS" | awk '{print $3}' | sort -n | awk -v k=$kind -v t=$target -v b=$tool \
      '{v[NR]=$1} END {printf "RESULT %s push: %s at best %.2fx, median %.2fx of skopeo'"'"'s time (target <= %sx)\n", k, b, v[1], v[int((NR+1)/2)], t}'
  done
done
