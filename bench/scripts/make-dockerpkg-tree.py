#!/usr/bin/env python3
"""Usage: make-dockerpkg-tree.py OUT COUNT SEED_IMAGE
Writes a docker-pkg tree of COUNT images (Dockerfile.template, changelog, control, test.sh each) on
SEED_IMAGE: image 0 builds on the seed, image i on image (i-1)//2 (a binary tree). Each copies a
file, runs two commands (the second writes a random stamp, so a rerun is visible), and ends with
USER {{ "nobody" | uid }}. config.yaml names only the seed: the uid mapping is docker-pkg's default."""
import os
import sys


def main():
    out, count, seed = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "config.yaml"), "w") as fh:
        fh.write(f"seed_image: {seed}\n")
    for i in range(count):
        name = f"img{i:02d}"
        folder = os.path.join(out, name)
        os.makedirs(folder, exist_ok=True)
        base = "{{ seed_image }}" if i == 0 else '{{ "img%02d" | image_tag }}' % ((i - 1) // 2)
        with open(os.path.join(folder, "Dockerfile.template"), "w") as fh:
            fh.write(f"FROM {base}\nUSER root\nCOPY data.txt /data/{name}.txt\n"
                     f"RUN mkdir -p /srv/{name} && cp /data/{name}.txt /srv/{name}/\n"
                     f"RUN head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \\n' > /srv/{name}/stamp\n"
                     'USER {{ "nobody" | uid }}\n')
        with open(os.path.join(folder, "data.txt"), "w") as fh:
            fh.write(f"{name} data\n")
        with open(os.path.join(folder, "changelog"), "w") as fh:
            fh.write(f"{name} (1.0.0) wikimedia; urgency=medium\n\n  * Initial release.\n\n"
                     " -- Bench <bench@example.org>  Mon, 01 Jan 2024 00:00:00 +0000\n")
        with open(os.path.join(folder, "control"), "w") as fh:
            fh.write(f"Package: {name}\n" + ("" if i == 0 else "Depends: img%02d\n" % ((i - 1) // 2)))
        with open(os.path.join(folder, "test.sh"), "w") as fh:
            fh.write("#!/bin/sh\nset -e\n"
                     f'test "$(docker run --rm "$1" head -n 1 /srv/{name}/{name}.txt)" = "{name} data"\n'
                     'test "$(docker run --rm "$1" id -u)" = 65534\n')
        os.chmod(os.path.join(folder, "test.sh"), 0o755)
    print(count)


if __name__ == "__main__":
    main()
