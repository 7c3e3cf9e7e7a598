"""W6/W6g (skip-gram) and W7/W7g (CBOW) on the fastText command-line program (Debian's `fasttext`), as
WORKLOADS.md defines them, with character n-grams off (-minn 0 -maxn 0) so it trains plain word2vec.

fastText reads the corpus and builds its vocabulary inside the same process, so its training time
cannot be cut out from outside: the throughput is fastText's own final "words/sec/thread" times
the threads (its training loop only, the counterpart of gensim's train). The CPU window, the wall
time of the whole process (extra.process_wall_s) and the peak RSS are the child process's.
Quality: word_quality.evaluate on the .vec file it writes.
"""
import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile

import bench_common as bc

try:
    import numpy as np
except ImportError:
    bc.missing(f"{sys.executable} cannot import numpy (Debian: apt-get install python3-numpy)")

import word_quality

RATE = re.compile(r"words/sec/thread:\s*([0-9.]+)")


def fasttext_binary():
    path = shutil.which("fasttext")
    if path is None:
        bc.missing("the fasttext program is not on PATH (Debian: apt-get install fasttext)")
    return path


def fasttext_version(binary):
    # 0.9.2 prints no version; Debian's package version names it.
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "fasttext"], capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    except OSError:
        pass
    return "unknown"


def read_vec(path):
    words, rows = [], []
    with open(path, encoding="utf-8", errors="replace") as f:
        f.readline()
        for line in f:
            parts = line.rstrip().split(" ")
            words.append(parts[0])
            rows.append([float(v) for v in parts[1:]])
    return words, np.array(rows, dtype=np.float32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--probe", action="store_true")
    ap.add_argument("--workload", default="W6")
    ap.add_argument("--data-dir")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--corpus")
    args = ap.parse_args()
    binary = fasttext_binary()
    versions = {"fasttext": fasttext_version(binary), "fasttext_path": binary, "python": platform.python_version(),
                "numpy": np.__version__}
    if args.probe:
        bc.emit(bc.probe_result(versions, libraries=[]))
        return
    if args.workload not in ("W6", "W7", "W6g", "W7g"):
        sys.exit(f"unknown workload {args.workload}; known: W6, W7, W6g, W7g")
    corpus = args.corpus or os.path.join(args.data_dir, "ptb", "ptb.train.txt")
    if not os.path.isfile(corpus):
        sys.exit(f"missing {corpus}")
    with tempfile.TemporaryDirectory(prefix="nnlab-fasttext-") as tmp:
        out = os.path.join(tmp, "vectors")
        cmd = [binary, "skipgram" if args.workload.startswith("W6") else "cbow", "-input", corpus, "-output", out,
               "-dim", "100", "-ws", "5", "-neg", "5", "-minCount", "5", "-t", "1e-4",
               "-lr", "0.025" if args.workload.startswith("W6") else "0.05", "-epoch", str(args.epochs),
               "-thread", str(args.threads), "-minn", "0", "-maxn", "0", "-verbose", "2"]
        bc.say("  " + " ".join(cmd))
        window = bc.CpuWindow(children=True)
        proc = subprocess.run(cmd, capture_output=True, text=True)
        cpu = window.close()
        if proc.returncode != 0:
            sys.exit(f"fasttext exited with {proc.returncode}: {proc.stderr[-2000:]}")
        rates = RATE.findall(proc.stderr + proc.stdout)
        if not rates:
            sys.exit("fasttext printed no words/sec/thread figure: " + (proc.stderr + proc.stdout)[-2000:])
        words, vectors = read_vec(out + ".vec")
    quality = word_quality.evaluate(words, vectors, os.path.join(args.data_dir, "analogy"))
    unit = "analogy_acc" if args.workload.endswith("g") else "wordsim353_spearman"
    result = bc.measured(cpu, round(float(rates[-1]) * args.threads, 1), "words/s",
                         quality["analogy_acc" if unit == "analogy_acc" else "wordsim353"], unit, versions, libraries=[], peak=bc.children_peak_rss_kib(),
                         extra=dict(quality, epochs=args.epochs, vocabulary=len(words), process_wall_s=cpu["wall_s"],
                                    throughput_source="fastText's own words/sec/thread x threads"))
    bc.emit(result)


if __name__ == "__main__":
    main()
