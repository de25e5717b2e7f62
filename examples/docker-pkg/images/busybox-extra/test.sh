#!/bin/sh
# docker-pkg runs this on the host with the image reference as $1.
set -eu
docker run --rm "$1" sh -c "command -v ls"
