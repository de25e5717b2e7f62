#!/bin/sh
# docker-pkg runs this on the host with the image reference as $1.
set -eu
docker run --rm --entrypoint cat "$1" /srv/www/index.html | grep -q "<h1>"
