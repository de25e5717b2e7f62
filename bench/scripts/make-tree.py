#!/usr/bin/env python3
"""Generates a tree of image folders for benchmarks: ROOTS roots, each the top of a 4-level
hierarchy of 100 images, every image copying FILES small files. Deterministic."""
import os
import random
import sys

def main():
    out, roots, files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    per_level = [1, 3, 9, 87]  # 100 images per root, depth 4
    rng = random.Random(42)
    count = 0
    for r in range(roots):
        levels = []
        for depth, size in enumerate(per_level):
            names = [f"r{r:02d}-d{depth}-{i:03d}" for i in range(size)]
            levels.append(names)
            for i, name in enumerate(names):
                parent = "scratch" if depth == 0 else levels[depth - 1][i % len(levels[depth - 1])]
                folder = os.path.join(out, f"r{r:02d}", f"d{depth}", name)
                os.makedirs(os.path.join(folder, "files"), exist_ok=True)
                for f in range(files):
                    with open(os.path.join(folder, "files", f"f{f:02d}.txt"), "w") as fh:
                        fh.write(f"{name} file {f} {rng.random()}\n" * 8)
                with open(os.path.join(folder, "image.yaml"), "w") as fh:
                    fh.write(f"name: {name}\nbase: {parent}\ncopy:\n  - {{src: files/, dest: /data/{name}}}\n")
                count += 1
    print(count)

if __name__ == "__main__":
    main()
