#!/usr/bin/env bash
# SAM-style layered image, whole process: the first build, then no-op runs (nothing changed) with the
# runtime base checked against a loopback registry (--pull=missing, the default) and without
# (--pull=never). Usage: bench/scripts/layered-bench.sh [RUNS]   (needs docker-registry, busybox-static)
set -euo pipefail
runs=${1:-5}
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d /tmp/berth-layered-bench.XXXXXX)"
registry_pid=""
cleanup() { [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
berth() { "$repo/berth" "$@" --store "$work/store"; }
now() { date +%s%N; }
ms() { echo $(( ($(now) - $1) / 1000000 )); }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'version: 0.1\nstorage: {filesystem: {rootdirectory: %s/registry}}\nhttp: {addr: 127.0.0.1:%s}\nlog: {level: error}\n' \
  "$work" "$port" > "$work/registry.yml"
docker-registry serve "$work/registry.yml" > "$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 100); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.05; done

prefix="127.0.0.1:$port/runtimes"
berth import "$("$repo/examples/make-busybox-rootfs")" --as "$prefix/python:3.12-x86_64" >/dev/null
berth push "$prefix/python:3.12-x86_64" >/dev/null
mkdir -p "$work/layer1/python/lib" "$work/zip/bin"
head -c 5000000 /dev/urandom > "$work/layer1/python/lib/big.bin"
echo 'print("handler")' > "$work/layer1/python/handler.py"
echo '#!/bin/sh' > "$work/zip/bin/tool"
(cd "$work/zip" && python3 -c 'import shutil; shutil.make_archive("../layer2", "zip", ".")')
echo "emulator" > "$work/emulator"
args=(layered --runtime python3.12 --arch x86_64 --registry-prefix "$prefix" --layer "$work/layer1"
      --layer "$work/layer2.zip" --add "$work/emulator:/var/rapid/emulator")
start=$(now); berth "${args[@]}" >/dev/null; echo "first build: $(ms "$start") ms"
for policy in missing never; do
  times=()
  for _ in $(seq "$runs"); do start=$(now); berth "${args[@]}" --pull="$policy" >/dev/null; times+=("$(ms "$start")"); done
  echo "no-op, --pull=$policy: ${times[*]} ms (target <= 300)"
done
