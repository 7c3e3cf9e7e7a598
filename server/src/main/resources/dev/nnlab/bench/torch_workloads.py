"""The PyTorch side of nnlab's reference workloads W1-W5 (see WORKLOADS.md).

Run by the harness with Debian's /usr/bin/python3, torch.set_num_threads(--threads) and
OPENBLAS_NUM_THREADS=1 for W1-W4, OPENBLAS_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE for W5 (the
fastest settings found on a 2-core machine). Does exactly what nnlab's families do for the workload:
  W1: softmax regression 784 -> 10, weights N(0, 0.001^2) (the softmax family's initStd), zero bias,
      SGD with momentum 0.9 (PyTorch's formulation, the same as nnlab's Sgd), cross-entropy.
  W2: MLP 784-256-256-10, ReLU, He normal weights (std sqrt(2 / fan_in), every Dense layer as in
      nnlab's mlp family, the output layer included), zero biases, Adam (betas 0.9/0.999, eps 1e-8).
  W3: CNN conv3x3x32 pad 1, ReLU, maxpool 2 - conv3x3x64 pad 1, ReLU, maxpool 2 - fc 128, ReLU - fc 10,
      He normal weights, zero biases, Adam 1e-3.
  W4: ResNet-20 (He et al. 2016, CIFAR variant: 16/32/64 channels, 3 basic blocks per stage, batch norm,
      option-A shortcuts, global average pooling; He normal convolutions, classifier uniform(+-1/8) with
      zero bias) on Fashion-MNIST zero-padded to 32x32, SGD 0.1 momentum
      0.9 weight decay 5e-4 on weights only (not biases or batch-norm parameters, as nnlab), batch 128;
      throughput over batches 6-45 of the first epoch, test accuracy
      after the whole epoch.
  W5: Zaremba et al. 2014 "small" LSTM language model on PTB (<eos> per line, vocabulary 10k): embedding
      200, 2-layer LSTM 200, linear 200 -> 10k, uniform(-0.1, 0.1) init, SGD lr 1.0, global-norm clip 5,
      BPTT 20, batch 20, state carried (detached) across windows; tokens/s, validation perplexity.
      The objective is Zaremba's (and TensorFlow's PTB tutorial's): a window's cross-entropy summed over
      its 20 steps and averaged over the 20 rows, so lr 1 and clip 5 are in those units (the same step as
      lr 20 and clip 0.25 on the per-token mean, PyTorch's word_language_model example). With the
      per-token mean, lr 1 and clip 5 take 20x smaller steps and reach only ~460 after one epoch.
W1-W4: pixels / 255, mini-batches of --batch-size in a new random order every epoch (the last batch
holds the remainder), --epochs passes over all 60,000 training images.

Fairness, as on the nnlab side: the data is decoded once, before the clock starts; each epoch's
shuffled data is gathered once (one index_select per epoch into buffers allocated and touched before the
clock starts, then every batch is a view); gradients
are dropped with zero_grad(set_to_none=True); a throw-away model of the same shape trains
--warmup-steps steps first (thread pools, allocator, first-call costs) so the clock does not time
them. The clock covers the training loop including the per-epoch shuffle and stops before the test
set is evaluated.

Prints one JSON line on stdout (see bench_common.measured); everything else goes to stderr.
"""
import argparse
import gzip
import math
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


def load_mnist(data_dir, name="mnist"):
    directory = os.path.join(data_dir, name)
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
    if workload == "W3":
        model = nn.Sequential(nn.Unflatten(1, (1, 28, 28)),
                              nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))
        for layer in model:
            if isinstance(layer, (nn.Linear, nn.Conv2d)):
                nn.init.kaiming_normal_(layer.weight, mode="fan_in", nonlinearity="relu")
                nn.init.zeros_(layer.bias)
        return model, torch.optim.Adam(model.parameters(), lr=lr)
    if workload == "W4":
        model = ResNet20()
        # Weight decay on the convolution and classifier weights only, as nnlab's optimizers apply it (not to
        # biases or batch-norm gains and shifts, which it would only pull towards 0 without regularising).
        decay = [p for p in model.parameters() if p.dim() > 1]
        rest = [p for p in model.parameters() if p.dim() <= 1]
        return model, torch.optim.SGD([{"params": decay, "weight_decay": 5e-4}, {"params": rest, "weight_decay": 0.0}],
                                      lr=lr, momentum=0.9)
    sys.exit(f"unknown workload {workload}; known: W1-W5")


class BasicBlock(nn.Module):
    """Two 3x3 convolutions with batch norm; option A: the shortcut subsamples and pads channels with zeros."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.pad = cout - cin
        self.stride = stride

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        shortcut = x
        if self.stride != 1 or self.pad:
            shortcut = F.pad(x[:, :, ::self.stride, ::self.stride], (0, 0, 0, 0, self.pad // 2, self.pad - self.pad // 2))
        return F.relu(out + shortcut)


class ResNet20(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 16, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(16)
        blocks, cin = [], 16
        for cout, stride in ((16, 1), (32, 2), (64, 2)):
            for b in range(3):
                blocks.append(BasicBlock(cin, cout, stride if b == 0 else 1))
                cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(64, 10)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")
        # The classifier as He et al.'s code (fb.resnet.torch) and nnlab's resnet family leave it:
        # uniform(-1/sqrt(64), 1/sqrt(64)), zero bias; He normal here starts the loss at 3.1-4.4, not ln 10.
        nn.init.uniform_(self.fc.weight, -1 / 8, 1 / 8)
        nn.init.zeros_(self.fc.bias)

    def forward(self, x):
        x = x.view(-1, 1, 32, 32)
        x = self.blocks(F.relu(self.bn(self.conv(x))))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


def pad_to_32(x):
    """(N, 784) -> (N, 1024): each 28x28 image zero-padded by 2 pixels on every side."""
    return F.pad(x.view(-1, 1, 28, 28), (2, 2, 2, 2)).reshape(len(x), -1).contiguous()


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
    ap.add_argument("--max-steps", type=int, default=0, help="stop each epoch after this many steps (checks only; 0: all)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.ones(64, 64) @ torch.ones(64, 64)  # loads the BLAS before /proc/self/maps is read
    if args.probe:
        bc.emit(bc.probe_result(versions()))
        return
    if not args.data_dir:
        sys.exit("--data-dir is required")
    if args.workload == "W5":
        language_model(args)
    else:
        classify(args)


def classify(args):
    """W1-W4: the timed loop over shuffled mini-batches, then test accuracy."""
    x, y, x_test, y_test = load_mnist(args.data_dir, "fashion-mnist" if args.workload == "W4" else "mnist")
    if args.workload == "W4":
        x, x_test = pad_to_32(x), pad_to_32(x_test)
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
    # W4 times batches 6-45 of the first epoch (after batch norm's and oneDNN's first-call costs), then
    # finishes the epoch for the test accuracy; the others time every epoch.
    # The shuffled copies go into buffers allocated and touched before the clock starts, as nnlab's side reuses
    # its own: a fresh 188 MB tensor every epoch cost 0.44 s of page faults on a VM (a W1 epoch trains in 0.22 s).
    xs, ys = torch.zeros_like(x), torch.zeros_like(y)
    window, timed, samples = (None, None, 0) if args.workload == "W4" else (bc.CpuWindow(), None, 0)
    for epoch in range(1, args.epochs + 1):
        order = torch.randperm(n)
        torch.index_select(x, 0, order, out=xs)
        torch.index_select(y, 0, order, out=ys)
        for b, i in enumerate(range(0, n, batch)):
            if args.max_steps and b >= args.max_steps:
                break
            if args.workload == "W4" and epoch == 1 and b == 5:
                window = bc.CpuWindow()
            loss = step(model, optimizer, xs[i:i + batch], ys[i:i + batch])
            if args.workload == "W4" and epoch == 1 and 5 <= b < 45:
                samples += len(ys[i:i + batch])
                if b == 44:
                    timed = window.close()
        bc.say(f"  pytorch epoch {epoch}/{args.epochs}: last batch loss {loss.item():.4f}")
        if args.workload != "W4":
            samples += min(n, args.max_steps * batch) if args.max_steps else n
    cpu = timed if args.workload == "W4" else window.close()
    if cpu is None:
        sys.exit("W4 needs at least 45 batches to time batches 6-45")

    model.eval()
    with torch.no_grad():
        correct = sum((model(x_test[i:i + 1000]).argmax(dim=1) == y_test[i:i + 1000]).sum().item()
                      for i in range(0, len(y_test), 1000))
    accuracy = correct / len(y_test)
    bc.emit(bc.measured(cpu, round(samples / cpu["wall_s"], 1), "samples/s", round(accuracy, 4), "test_acc",
                        versions(), extra={"epochs": args.epochs, "warmup_steps": args.warmup_steps,
                                           "timed_samples": samples, "max_steps": args.max_steps}))


def ptb_ids(path, vocab):
    with open(path, encoding="utf-8") as f:
        words = [w for line in f for w in line.split() + ["<eos>"]]
    for w in words:
        if w not in vocab:
            vocab[w] = len(vocab)
    return torch.tensor([vocab[w] for w in words], dtype=torch.long)


class LanguageModel(nn.Module):
    def __init__(self, vocab, size=200, layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, size)
        self.lstm = nn.LSTM(size, size, layers)
        self.out = nn.Linear(size, vocab)
        for p in self.parameters():
            nn.init.uniform_(p, -0.1, 0.1)

    def forward(self, x, state):
        h, state = self.lstm(self.embed(x), state)
        return self.out(h), state


def batchify(ids, batch):
    cols = len(ids) // batch
    return ids[:cols * batch].view(batch, cols).t().contiguous()  # (T, batch)


def language_model(args):
    """W5: one pass over PTB train in windows of 20 steps, 20 streams; tokens/s; validation perplexity."""
    directory = os.path.join(args.data_dir, "ptb")
    vocab = {}
    train = batchify(ptb_ids(os.path.join(directory, "ptb.train.txt"), vocab), 20)
    valid = batchify(ptb_ids(os.path.join(directory, "ptb.valid.txt"), vocab), 20)
    bptt, clip = 20, 5.0
    bc.say(f"  pytorch {torch.__version__}: W5 on {train.numel()} train tokens, vocabulary {len(vocab)}, "
           f"{torch.get_num_threads()} threads, OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}")

    def run_epoch(model, optimizer, data, steps_limit, train_mode):
        state, total, tokens = None, 0.0, 0
        model.train(train_mode)
        for s, i in enumerate(range(0, data.size(0) - 1, bptt)):
            if steps_limit and s >= steps_limit:
                break
            x, y = data[i:i + bptt], data[i + 1:i + 1 + bptt]
            x = x[:len(y)]
            if state is not None:
                state = tuple(h.detach() for h in state)
            logits, state = model(x, state)
            loss = F.cross_entropy(logits.view(-1, logits.size(-1)), y.reshape(-1))
            if train_mode:
                optimizer.zero_grad(set_to_none=True)
                (loss * y.size(0)).backward()  # summed over the window's steps, averaged over its rows
                torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
                optimizer.step()
            total += loss.item() * y.numel()
            tokens += y.numel()
        return total, tokens

    torch.manual_seed(args.seed + 1000)
    scratch = LanguageModel(len(vocab))
    run_epoch(scratch, torch.optim.SGD(scratch.parameters(), lr=1.0), train, max(1, args.warmup_steps // 10), True)
    del scratch

    torch.manual_seed(args.seed)
    model = LanguageModel(len(vocab))
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    window = bc.CpuWindow()
    tokens = 0
    for epoch in range(1, args.epochs + 1):
        tokens += run_epoch(model, optimizer, train, args.max_steps, True)[1]
        bc.say(f"  pytorch epoch {epoch}/{args.epochs}: {tokens} tokens")
    cpu = window.close()
    with torch.no_grad():
        total, count = run_epoch(model, None, valid, 0, False)
    perplexity = math.exp(total / count)
    bc.emit(bc.measured(cpu, round(tokens / cpu["wall_s"], 1), "tokens/s", round(perplexity, 2), "val_perplexity",
                        versions(), extra={"epochs": args.epochs, "max_steps": args.max_steps, "timed_tokens": tokens}))


if __name__ == "__main__":
    main()
