#!/usr/bin/python3
"""Render every Dockerfile.template of a docker-pkg tree with docker-pkg's own code (the oracle).

Usage: dockerpkg-oracle.py DOCKER_PKG_SOURCE TREE CONFIG OUT_DIR

DOCKER_PKG_SOURCE is a checkout of wikimedia/operations-docker-images-docker-pkg (not part of berth).
Writes OUT_DIR/<name>.Dockerfile for each image (name with '/' turned into '-'), or
OUT_DIR/<name>.error when docker-pkg cannot render it. Needs Debian's python3-jinja2, python3-debian,
python3-docker, python3-requests and python3-yaml.
"""
import os
import sys

source, tree, config_file, out = sys.argv[1:5]
sys.path.insert(0, source)

from docker_pkg import cli, dockerfile, image  # noqa: E402


class NoDriver:
    """docker-pkg's images want a driver; rendering never uses it."""
    label = None


config = cli.read_config(config_file)
images = []
for root, _, files in os.walk(os.path.abspath(tree)):
    if "Dockerfile.template" in files and "changelog" in files:
        images.append(image.DockerImage(root, NoDriver(), config))

known = set(config.get("base_images", []))
known.update(img.image for img in images)
dockerfile.TemplateEngine.setup(config, known)
os.makedirs(out, exist_ok=True)
for img in images:
    safe = img.short_name.replace("/", "-")
    try:
        text = img.render_dockerfile()
        with open(os.path.join(out, safe + ".Dockerfile"), "w") as fh:
            fh.write(text)
    except Exception as e:  # the error is the oracle's answer for this image
        with open(os.path.join(out, safe + ".error"), "w") as fh:
            fh.write("%s: %s\n" % (type(e).__name__, e))
print("%d images rendered by docker-pkg into %s" % (len(images), out))
