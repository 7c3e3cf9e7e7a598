"""Quality of word vectors as WORKLOADS.md measures it for W6/W7: the Spearman correlation with
WordSim-353 (and SimLex-999) over pairs whose both words are in the vocabulary, and the accuracy on the word2vec
analogy questions whose four words are all in the vocabulary (3CosAdd, the three question words
excluded from the answer). Words are lower-cased, as PTB is. Needs only numpy, so gensim's and
fastText's vectors are scored by the same code."""
import os

import numpy as np


def normalise(vectors):
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1
    return vectors / norms


def ranks(values):
    """Average ranks (ties share their mean rank), as Spearman's rho needs."""
    order = np.argsort(values, kind="mergesort")
    r = np.empty(len(values))
    sorted_values = values[order]
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and sorted_values[j + 1] == sorted_values[i]:
            j += 1
        r[order[i:j + 1]] = (i + j) / 2.0
        i = j + 1
    return r


def spearman(a, b):
    ra, rb = ranks(np.asarray(a, float)), ranks(np.asarray(b, float))
    ra -= ra.mean()
    rb -= rb.mean()
    return float((ra * rb).sum() / np.sqrt((ra * ra).sum() * (rb * rb).sum()))


def wordsim(index, unit, path):
    gold, ours = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            w1, w2, score = line.rstrip("\n").split("\t")[:3]
            w1, w2 = w1.lower(), w2.lower()
            if w1 in index and w2 in index:
                gold.append(float(score))
                ours.append(float(unit[index[w1]] @ unit[index[w2]]))
    return (spearman(gold, ours) if len(gold) > 2 else None), len(gold)


def analogies(index, unit, path, chunk=512):
    questions = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith(":"):
                continue
            words = line.lower().split()
            if len(words) == 4 and all(w in index for w in words):
                questions.append([index[w] for w in words])
    if not questions:
        return None, 0
    q = np.array(questions)
    correct = 0
    for s in range(0, len(q), chunk):
        part = q[s:s + chunk]
        target = unit[part[:, 1]] - unit[part[:, 0]] + unit[part[:, 2]]
        scores = target @ unit.T
        rows = np.arange(len(part))
        for col in range(3):
            scores[rows, part[:, col]] = -np.inf
        correct += int((scores.argmax(axis=1) == part[:, 3]).sum())
    return correct / len(q), len(q)


def evaluate(words, vectors, analogy_dir):
    """{"wordsim353": rho, "wordsim353_pairs": n, "simlex999": rho, "simlex999_pairs": n, "analogy_acc": acc,
    "analogy_questions": n}; SimLex-999 only when its file is there."""
    index = {w: i for i, w in enumerate(words)}
    unit = normalise(np.asarray(vectors, dtype=np.float32))
    rho, pairs = wordsim(index, unit, os.path.join(analogy_dir, "wordsim353.tsv"))
    simlex_path = os.path.join(analogy_dir, "simlex999.txt")
    simlex, simlex_pairs = wordsim(index, unit, simlex_path) if os.path.isfile(simlex_path) else (None, 0)
    acc, questions = analogies(index, unit, os.path.join(analogy_dir, "questions-words.txt"))
    return {"wordsim353": rho, "wordsim353_pairs": pairs, "simlex999": simlex, "simlex999_pairs": simlex_pairs,
            "analogy_acc": acc, "analogy_questions": questions}
