"""The PyTorch side of nnlab's reference workloads W1 and W2 (see WORKLOADS.md).

Run by the harness with Debian's /usr/bin/python3, torch.set_num_threads(--threads) and
OPENBLAS_NUM_THREADS=1 (the fastest settings on a 2-core machine). Does exactly what nnlab's
families do for the workload:
  W1: softmax regression 784 -> 10, weights N(0, 0.001^2) (the softmax family's initStd), zero bias,
      SGD with momentum 0.9 (PyTorch's formulation, the same as nnlab's Sgd), cross-entropy.
  W2: MLP 784-256-256-10, ReLU, He normal weights (std sqrt(2 / fan_in), every Dense layer as in
      nnlab's mlp family, the output layer included), zero biases, Adam (betas 0.9/0.999, eps 1e-8).
Both: pixels / 255, mini-batches of --batch-size in a new random order every epoch (the last batch
holds the remainder), --epochs passes over all 60,000 training images.

Fairness, as on the nnlab side: the data is decoded once, before the clock starts; each epoch's
shuffled data is gathered once (one index_select per epoch, then every batch is a view); gradients
are dropped with zero_grad(set_to_none=True); a throw-away model of the same shape trains
--warmup-steps steps first (thread pools, allocator, first-call costs) so the clock does not time
them. The clock covers the training loop including the per-epoch shuffle and stops before the test
set is evaluated.

Prints one JSON line on stdout (see bench_common.measured); everything else goes to stderr.
"""
import argparse
import gzip
import os
import platform
import re
import struct
import sys

import bench_common as bc

try:
    import numpy as np
    import torch
    from torch import nn
    import torch.nn.functional as F
except ImportError as e:
    bc.missing(f"{sys.executable} cannot import {e.name} (Debian: apt-get install python3-torch)")

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


def step(model, optimizer, xb, yb):
    loss = F.cross_entropy(model(xb), yb)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    return loss


def versions():
    return {"python": platform.python_version(), "python_path": sys.executable, "torch": torch.__version__,
            "numpy": np.__version__, "torch_threads": torch.get_num_threads(),
            "torch_blas": torch_blas_info(), "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS")}


def torch_blas_info():
    """What torch says it was built against: generic (libblas.so.3, whichever the alternatives point at) for
    Debian's, mkl for pip's, which links MKL statically and so maps no BLAS library."""
    m = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    return m.group(1) if m else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--probe", action="store_true", help="one matrix product, then print versions and loaded libraries")
    ap.add_argument("--workload", default="W1")
    ap.add_argument("--data-dir")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--warmup-steps", type=int, default=100)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.ones(64, 64) @ torch.ones(64, 64)  # loads the BLAS before /proc/self/maps is read
    if args.probe:
        bc.emit(bc.probe_result(versions()))
        return
    if not args.data_dir:
        sys.exit("--data-dir is required")

    x, y, x_test, y_test = load_mnist(args.data_dir)
    n, batch = len(y), args.batch_size
    bc.say(f"  pytorch {torch.__version__}: {args.workload} on {n} train / {len(y_test)} test, "
           f"{torch.get_num_threads()} threads, OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}")

    torch.manual_seed(args.seed + 1000)
    scratch, scratch_opt = build(args.workload, args.lr)
    for i in range(args.warmup_steps):
        j = (i * batch) % (n - batch)
        step(scratch, scratch_opt, x[j:j + batch], y[j:j + batch])
    del scratch, scratch_opt

    torch.manual_seed(args.seed)
    model, optimizer = build(args.workload, args.lr)
    model.train()
    window = bc.CpuWindow()
    for epoch in range(1, args.epochs + 1):
        order = torch.randperm(n)
        xs, ys = x.index_select(0, order), y.index_select(0, order)
        for i in range(0, n, batch):
            loss = step(model, optimizer, xs[i:i + batch], ys[i:i + batch])
        bc.say(f"  pytorch epoch {epoch}/{args.epochs}: last batch loss {loss.item():.4f} "
               f"after {bc.time.perf_counter() - window.start_wall:.1f} s")
    cpu = window.close()

    model.eval()
    with torch.no_grad():
        accuracy = (model(x_test).argmax(dim=1) == y_test).double().mean().item()
    bc.emit(bc.measured(cpu, round(n * args.epochs / cpu["wall_s"], 1), "samples/s", round(accuracy, 4), "test_acc",
                        versions(), extra={"epochs": args.epochs, "warmup_steps": args.warmup_steps}))


if __name__ == "__main__":
    main()
