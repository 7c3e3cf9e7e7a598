"""The PyTorch side of nnlab's reference workloads W1 and W2 (see WORKLOADS.md).

Run by `./nnlab bench W1 W2` with Debian's /usr/bin/python3 and OPENBLAS_NUM_THREADS=1. Does
exactly what nnlab's families do for the workload:
  W1: softmax regression 784 -> 10, weights N(0, 0.001^2) (the softmax family's initStd), zero bias,
      SGD with momentum 0.9 (PyTorch's formulation, the same as nnlab's Sgd), cross-entropy.
  W2: MLP 784-256-256-10, ReLU, He normal weights (std sqrt(2 / fan_in), every Dense layer as in
      nnlab's mlp family, the output layer included), zero biases, Adam (betas 0.9/0.999, eps 1e-8).
Both: pixels / 255, mini-batches of --batch-size in a new random order every epoch (the last batch
holds the remainder), --epochs passes over all 60,000 training images. The data is decoded once,
before the clock starts; the clock covers the training loop including the per-epoch shuffle and
stops before the test set is evaluated.

Prints one JSON line on stdout; everything else goes to stderr.
"""
import argparse
import gzip
import json
import os
import struct
import sys
import time

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
SOFTMAX_INIT_STD = 0.001


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    rank = magic & 0xFF
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def find(directory, base):
    for name in (base, base + ".gz"):
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            return path
    sys.exit(f"{directory}: missing {base}[.gz]; get MNIST with ./nnlab data get mnist")


def load_mnist(data_dir):
    directory = os.path.join(data_dir, "mnist")
    arrays = [read_idx(find(directory, base)) for base in FILES]
    to_features = lambda images: torch.from_numpy(images.reshape(len(images), -1).astype(np.float32) / 255.0)
    to_labels = lambda labels: torch.from_numpy(labels.astype(np.int64))
    return to_features(arrays[0]), to_labels(arrays[1]), to_features(arrays[2]), to_labels(arrays[3])


def build(workload, lr):
    if workload == "W1":
        model = nn.Linear(784, 10)
        nn.init.normal_(model.weight, std=SOFTMAX_INIT_STD)
        nn.init.zeros_(model.bias)
        return model, torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    if workload == "W2":
        model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
        for layer in model:
            if isinstance(layer, nn.Linear):
                nn.init.kaiming_normal_(layer.weight, mode="fan_in", nonlinearity="relu")
                nn.init.zeros_(layer.bias)
        return model, torch.optim.Adam(model.parameters(), lr=lr)
    sys.exit(f"unknown workload {workload}; known: W1, W2")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workload", required=True)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--lr", type=float, required=True)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    x, y, x_test, y_test = load_mnist(args.data_dir)
    model, optimizer = build(args.workload, args.lr)
    n, batch = len(y), args.batch_size
    print(f"  pytorch {torch.__version__}: {args.workload} on {n} train / {len(y_test)} test, "
          f"{torch.get_num_threads()} threads, OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}",
          file=sys.stderr, flush=True)

    model.train()
    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        order = torch.randperm(n)
        for i in range(0, n, batch):
            idx = order[i:i + batch]
            loss = F.cross_entropy(model(x[idx]), y[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"  pytorch epoch {epoch}/{args.epochs}: last batch loss {loss.item():.4f} "
              f"after {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - start

    model.eval()
    with torch.no_grad():
        accuracy = (model(x_test).argmax(dim=1) == y_test).double().mean().item()
    print(json.dumps({"id": args.workload, "system": "pytorch", "threads": args.threads,
                      "throughput": round(n * args.epochs / seconds, 1), "unit": "samples/s",
                      "quality": round(accuracy, 4), "quality_unit": "test_acc"}), flush=True)


if __name__ == "__main__":
    main()
