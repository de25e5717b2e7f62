#!/bin/sh
# docker-pkg runs this on the host with the image reference as $1.
set -eu
docker run --rm "$1" cat /opt/worker/VERSION | grep -q 1.63.0
