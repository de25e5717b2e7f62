#!/usr/bin/env bash
# RUN steps natively (linux/amd64) and under qemu-user-static (linux/arm64), on busybox bases, in one
# run: berth's step times (from --progress=json) for a trivial step (`true`: the start-up cost) and a
# CPU-bound one (a shell loop); whole cold builds of one 2-image tree (base + a child with the two steps)
# for amd64 alone, arm64 alone and both (an OCI index per image), each in a fresh store; and the same
# inputs by `buildah bud --platform linux/amd64[,linux/arm64] --manifest`, both from a 2-platform base
# index in a loopback registry. Prints the emulated/native ratios.
# Usage: bench/scripts/emulation-bench.sh [LOOP]   (root; needs runc, skopeo, docker-registry,
#   qemu-user-static registered by scripts/binfmt; buildah for the side-by-side, else skipped)
set -euo pipefail
loop=${1:-100000}
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d /tmp/berth-emulation-bench.XXXXXX)"
registry_pid=""
cleanup() { [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
"$repo/scripts/binfmt" aarch64
export BERTH_JAR="${BERTH_JAR:-$repo/berth-cli/target/berth.jar}"
[ -f "$BERTH_JAR" ] || (cd "$repo" && mvn -B -q -DskipTests -pl berth-cli -am package)
berth() { "$repo/berth" "$@"; }
now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc; }
amd64="$("$repo/examples/make-busybox-rootfs")"
arm64="$("$repo/examples/make-busybox-rootfs" --arch arm64)"
cpu="i=0; while [ \$i -lt $loop ]; do i=\$((i+1)); done"

image() {  # image TREE NAME ARCH
  mkdir -p "$1/$2"
  printf 'base: bench/busybox:%s\nplatform: linux/%s\nrun:\n  - "true"\n  - "%s"\n' "$3" "$3" "$cpu" > "$1/$2/image.yaml"
}
fresh_store() {  # fresh_store DIR: both bases imported (not timed)
  berth import "$amd64" --as bench/busybox:amd64 --store "$1" >/dev/null
  berth import "$arm64" --as bench/busybox:arm64 --platform linux/arm64 --store "$1" >/dev/null
}
berth --version >/dev/null   # the launcher's class-data archive is made outside the timings

# Step times: one tree with an amd64 and an arm64 image, -j 1 so the two never share the CPUs.
image "$work/steps" native amd64
image "$work/steps" emulated arm64
fresh_store "$work/store-steps"
berth build "$work/steps" -j 1 --progress=json --store "$work/store-steps" 2> "$work/steps.json" >/dev/null
step() {  # step IMAGE INDEX: the step's duration in seconds
  python3 - "$work/steps.json" "$1" "$2" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    event = json.loads(line)
    if event.get("type") == "StepFinished" and event["image"] == sys.argv[2] and event["index"] == int(sys.argv[3]):
        print(event["duration"]); break
PY
}
true_native=$(step native 1); true_emulated=$(step emulated 1)
cpu_native=$(step native 2); cpu_emulated=$(step emulated 2)

# Whole cold builds of the same 2-image tree (base: COPY a file on a 2-platform busybox index; app: the
# two RUN steps) for amd64 alone and for amd64+arm64 (one index per image), each in a fresh store; and
# buildah on the same inputs as one Containerfile (FROM the index, COPY, the two RUNs) into a manifest list.
command -v docker-registry >/dev/null || { echo "needs docker-registry (apt-get install docker-registry)" >&2; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'version: 0.1\nstorage: {filesystem: {rootdirectory: %s/registry}}\nhttp: {addr: 127.0.0.1:%s}\nlog: {level: error}\n' \
  "$work" "$port" > "$work/registry.yml"
docker-registry serve "$work/registry.yml" > "$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 100); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.05; done
base="127.0.0.1:$port/bench/busybox:1"
for arch in amd64 arm64; do
  skopeo copy -q --dest-tls-verify=false "oci:$work/store-steps:bench/busybox:$arch" "docker://127.0.0.1:$port/bench/busybox:$arch"
done
python3 - "$port" <<'PY'   # the index over both, as `docker manifest create` would make it
import json, sys, urllib.request
host = "http://127.0.0.1:%s/v2/bench/busybox" % sys.argv[1]
children = []
for arch in ("amd64", "arm64"):
    request = urllib.request.Request(host + "/manifests/" + arch,
        headers={"Accept": "application/vnd.oci.image.manifest.v1+json"}, method="GET")
    with urllib.request.urlopen(request) as response:
        body = response.read()
        children.append({"mediaType": response.headers["Content-Type"], "size": len(body),
            "digest": response.headers["Docker-Content-Digest"], "platform": {"architecture": arch, "os": "linux"}})
index = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
    "manifests": children}).encode()
urllib.request.urlopen(urllib.request.Request(host + "/manifests/1", data=index, method="PUT",
    headers={"Content-Type": "application/vnd.oci.image.index.v1+json"}))
PY
printf 'data\n' > "$work/f.txt"
mkdir -p "$work/tree/base" "$work/tree/app"
cp "$work/f.txt" "$work/tree/base/f.txt"
printf 'base: %s\ncopy:\n  - {src: f.txt, dest: /f.txt}\n' "$base" > "$work/tree/base/image.yaml"
printf 'base: base\nrun:\n  - "true"\n  - "%s"\n' "$cpu" > "$work/tree/app/image.yaml"
cold() {  # cold NAME PLATFORMS: seconds to build the tree cold for PLATFORMS (the base pulled first, untimed)
  berth pull --all "$base" --store "$work/store-$1" >/dev/null 2>&1
  rm -rf "$work/tree/.berth"
  local start; start=$(now)
  berth build "$work/tree" --platform "$2" --pull=never --sbom none --store "$work/store-$1" >/dev/null 2>&1 \
    || { echo "berth build --platform $2 failed" >&2; exit 1; }
  elapsed "$start"
}
berth_amd64=$(cold amd64 linux/amd64); berth_arm64=$(cold arm64 linux/arm64)
berth_both=$(cold both linux/amd64,linux/arm64)

buildah_amd64=n/a; buildah_both=n/a
if command -v buildah >/dev/null; then
  printf 'FROM %s\nCOPY f.txt /f.txt\nRUN true\nRUN %s\n' "$base" "$cpu" > "$work/Containerfile"
  bud() {  # bud NAME PLATFORMS: seconds for a cold multi-platform build into a manifest list
    local root=(--root "$work/bud-$1/root" --runroot "$work/bud-$1/run" --storage-driver overlay)
    local start; start=$(now)
    buildah "${root[@]}" bud -q --isolation chroot --tls-verify=false --platform "$2" --manifest "bench/$1" \
      -f "$work/Containerfile" "$work" >/dev/null 2>&1
    elapsed "$start"
  }
  buildah_amd64=$(bud amd64 linux/amd64); buildah_both=$(bud both linux/amd64,linux/arm64)
  children=$(buildah --root "$work/bud-both/root" --runroot "$work/bud-both/run" --storage-driver overlay \
    manifest inspect bench/both | python3 -c 'import json,sys; print(" ".join(sorted(m["platform"]["architecture"] for m in json.load(sys.stdin)["manifests"])))')
  echo "buildah's manifest list holds: $children"
fi

printf '%-44s %10s %10s %8s\n' "berth RUN step (from StepFinished)" native emulated ratio
printf '%-44s %10.3f %10.3f %8.1f\n' '`true` (start-up)' "$true_native" "$true_emulated" "$(echo "$true_emulated / $true_native" | bc -l)"
printf '%-44s %10.3f %10.3f %8.1f\n' "shell loop of $loop" "$cpu_native" "$cpu_emulated" "$(echo "$cpu_emulated / $cpu_native" | bc -l)"
printf '%-44s %10s %10s %10s\n' "cold build, seconds" amd64 arm64 both
printf '%-44s %10.2f %10.2f %10.2f\n' berth "$berth_amd64" "$berth_arm64" "$berth_both"
if [ "$buildah_amd64" != n/a ]; then
  printf '%-44s %10.2f %10s %10.2f\n' "buildah bud --platform … --manifest" "$buildah_amd64" - "$buildah_both"
  printf 'berth both / buildah both = %.2f\n' "$(echo "$berth_both / $buildah_both" | bc -l)"
fi
