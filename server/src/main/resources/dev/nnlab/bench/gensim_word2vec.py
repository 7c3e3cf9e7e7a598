"""W6/W6g (skip-gram) and W7/W7g (CBOW) on gensim, as WORKLOADS.md defines them: PTB train (W6/W7)
or the GCIDE text (W6g/W7g, 5 epochs) in the file --corpus names (the harness passes the file the
nnlab side reads; PTB's is the default), one line = one sentence, dim 100, window 5, negative 5, min-count 5, sample 1e-4, lr 0.025 (W6) / 0.05 (W7)
decaying linearly, --epochs epochs, --threads workers.

gensim at its best: its compiled word2vec_inner must be loaded (FAST_VERSION >= 0, i.e. BLAS dot and
axpy; the script refuses otherwise), and gensim has two ways to be fed. An iterable of token lists
(held in memory here, read before the clock) needs the GIL for every word's dictionary lookup, in
the workers and in a producer thread; `corpus_file` reads and looks up in compiled code without the
GIL, and gensim documents it as the mode that scales with workers. --mode both (the default) trains
both ways in this process, one after the other, and reports the faster with its quality (the other
one's throughput is in `extra`); --mode iterable or corpus_file trains one.

The vocabulary is built before the clock; a throw-away model trains on the first 2,000 sentences
first (thread start-up, first-call costs). The clock covers Word2Vec.train only. Throughput:
in-vocabulary words (the corpus's tokens that survive min-count) times epochs per second, the unit
the nnlab side reports. Quality: word_quality.evaluate.
"""
import argparse
import os
import platform
import sys

import bench_common as bc

try:
    import numpy as np
    import gensim
    from gensim.models import Word2Vec
except ImportError as e:
    bc.missing(f"{sys.executable} cannot import {e.name} (Debian: apt-get install python3-gensim)")

import word_quality


WORKLOADS = ("W6", "W7", "W6g", "W7g")


def config(workload, threads, seed):
    if workload not in WORKLOADS:
        sys.exit(f"unknown workload {workload}; known: {', '.join(WORKLOADS)}")
    return dict(vector_size=100, window=5, negative=5, min_count=5, sample=1e-4, workers=threads, seed=seed,
                sg=1 if workload.startswith("W6") else 0, cbow_mean=1, hs=0,
                alpha=0.025 if workload.startswith("W6") else 0.05, min_alpha=0.0001)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--probe", action="store_true")
    ap.add_argument("--workload", default="W6")
    ap.add_argument("--data-dir")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--corpus")
    ap.add_argument("--mode", choices=("both", "iterable", "corpus_file"), default="both")
    args = ap.parse_args()
    versions = {"python": platform.python_version(), "python_path": sys.executable, "gensim": gensim.__version__,
                "numpy": np.__version__}
    if args.probe:
        bc.emit(bc.probe_result(versions))
        return
    path = args.corpus or os.path.join(args.data_dir, "ptb", "ptb.train.txt")
    if not os.path.isfile(path):
        sys.exit(f"missing {path}")
    from gensim.models import word2vec_inner
    versions["fast_version"] = word2vec_inner.FAST_VERSION
    if word2vec_inner.FAST_VERSION < 0:
        sys.exit("gensim runs without its compiled word2vec_inner (FAST_VERSION < 0): not gensim at its best")
    cfg = config(args.workload, args.threads, args.seed)
    modes = ("iterable", "corpus_file") if args.mode == "both" else (args.mode,)
    sentences = None
    if "iterable" in modes:
        with open(path, encoding="utf-8") as f:
            sentences = [line.split() for line in f]
        scratch = Word2Vec(**cfg)
        scratch.build_vocab(sentences[:2000])
        scratch.train(sentences[:2000], total_examples=2000, epochs=1)
        del scratch
    if "corpus_file" in modes:
        head = write_head(path, 2000)
        try:
            scratch = Word2Vec(**cfg)
            scratch.build_vocab(corpus_file=head)
            scratch.train(corpus_file=head, total_words=scratch.corpus_total_words, epochs=1)
            del scratch
        finally:
            os.unlink(head)

    runs = {}
    for mode in modes:
        model = Word2Vec(**cfg)
        if mode == "iterable":
            model.build_vocab(sentences)
        else:
            model.build_vocab(corpus_file=path)
        in_vocab = sum(model.wv.get_vecattr(w, "count") for w in model.wv.index_to_key)
        bc.say(f"  gensim {gensim.__version__} ({mode}): {args.workload}, "
               f"{len(model.wv)} words in vocabulary, {in_vocab} in-vocabulary tokens, {args.threads} workers")
        window = bc.CpuWindow()
        if mode == "iterable":
            model.train(sentences, total_examples=len(sentences), epochs=args.epochs)
        else:
            model.train(corpus_file=path, total_words=model.corpus_total_words, epochs=args.epochs)
        cpu = window.close()
        throughput = round(in_vocab * args.epochs / cpu["wall_s"], 1)
        bc.say(f"  gensim ({mode}): {throughput} words/s")
        runs[mode] = (throughput, cpu, model)
    best = max(runs, key=lambda m: runs[m][0])
    throughput, cpu, model = runs[best]
    analogy_dir = os.path.join(args.data_dir, "analogy")
    quality = word_quality.evaluate(model.wv.index_to_key, model.wv.vectors, analogy_dir)
    unit = "analogy_acc" if args.workload.endswith("g") else "wordsim353_spearman"
    extra = dict(quality, epochs=args.epochs, vocabulary=len(model.wv), mode=best,
                 words_per_sec_by_mode={m: r[0] for m, r in runs.items()})
    # The other mode's quality too: they differ beyond the seed's spread on GCIDE, because corpus_file
    # mode decays the rate by each worker's own share of the words over the whole corpus's count, so
    # with W workers each epoch's rate falls only 1/W of the way before the next epoch resets it.
    extra["quality_by_mode"] = {m: (quality if m == best else
                                    word_quality.evaluate(r[2].wv.index_to_key, r[2].wv.vectors, analogy_dir))
                                for m, r in runs.items()}
    bc.emit(bc.measured(cpu, throughput, "words/s", quality["analogy_acc" if unit == "analogy_acc" else "wordsim353"],
                        unit, versions, extra=extra))


def write_head(path, lines):
    """The first `lines` lines of `path` in a temporary file (corpus_file mode's warm-up)."""
    import tempfile
    fd, head = tempfile.mkstemp(suffix=".txt")
    with open(path, encoding="utf-8") as f, os.fdopen(fd, "w", encoding="utf-8") as out:
        for _, line in zip(range(lines), f):
            out.write(line)
    return head

if __name__ == "__main__":
    main()
