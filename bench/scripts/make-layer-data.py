#!/usr/bin/env python3
"""~500 MB directory of mixed files for layer benchmarks: python-like sources, half-random
libraries, a few large partly compressible files. Deterministic except the large files' random halves.
Usage: make-layer-data.py DIR"""
import os, random, sys
root = sys.argv[1]
rng = random.Random(7)
words = [("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))) for _ in range(5000)]
def text(n):
    out = []
    size = 0
    while size < n:
        w = rng.choice(words)
        out.append(w)
        size += len(w) + 1
    return (" ".join(out)).encode()[:n]
total = 0
# many small source-like files: ~150 MB
for i in range(15000):
    d = os.path.join(root, "src", f"pkg{i % 300:03d}")
    os.makedirs(d, exist_ok=True)
    body = text(rng.randint(2000, 18000))
    open(os.path.join(d, f"f{i:05d}.py"), "wb").write(body)
    total += len(body)
# medium mixed files: ~150 MB
for i in range(300):
    d = os.path.join(root, "lib")
    os.makedirs(d, exist_ok=True)
    n = 500_000
    half = bytearray(rng.getrandbits(8) for _ in range(n // 4))
    body = bytes(half) + text(n - len(half))
    open(os.path.join(d, f"m{i:03d}.so"), "wb").write(body)
    total += len(body)
# a few large, partly compressible: ~200 MB
for i in range(4):
    d = os.path.join(root, "share")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"big{i}.dat"), "wb") as fh:
        for _ in range(50):
            chunk = os.urandom(250_000) + text(750_000)
            fh.write(chunk)
            total += len(chunk)
print(f"generated {total/1e6:.0f} MB in {root}")
