package dev.nnlab.plugins.word2vec.eval;

import dev.nnlab.kernels.EmbeddingRows;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Trained word vectors, read in place from the training table (rows of {@code stride} floats, the
 * first {@code dim} of which are the vector): nearest neighbours by cosine, and the word2vec text
 * format. Only the inverse norms are computed here, so the vectors are never held twice.
 */
public final class WordVectors {
    private final String[] words;
    private final float[] rows;
    private final int stride, dim;
    private final float[] inverseNorm;
    private final Map<String, Integer> index;

    /** @param words in row order (most frequent first, as training orders them) */
    public WordVectors(String[] words, float[] rows, int stride, int dim) {
        if (rows.length < (long) words.length * stride || dim > stride) {
            throw new IllegalArgumentException(words.length + " words of stride " + stride + " and dim " + dim
                    + " do not fit " + rows.length + " floats");
        }
        this.words = words;
        this.rows = rows;
        this.stride = stride;
        this.dim = dim;
        this.inverseNorm = new float[words.length];
        this.index = new HashMap<>(words.length * 2);
        for (int w = 0; w < words.length; w++) {
            float n = (float) Math.sqrt(EmbeddingRows.dot(stride, rows, w * stride, rows, w * stride));
            inverseNorm[w] = n == 0 ? 0 : 1 / n;
            index.put(words[w], w);
        }
    }

    public int size() { return words.length; }

    public int dim() { return dim; }

    public String word(int i) { return words[i]; }

    /** The row of {@code word}, or -1 when it is not in the vocabulary. */
    public int indexOf(String word) {
        Integer i = index.get(word);
        return i == null ? -1 : i;
    }

    public boolean contains(String word) { return index.containsKey(word); }

    /** Component {@code i} of word {@code w}'s vector. */
    public float component(int w, int i) { return rows[w * stride + i]; }

    /** The cosine similarity of two words of the vocabulary. */
    public double cosine(int a, int b) {
        return EmbeddingRows.dot(stride, rows, a * stride, rows, b * stride) * inverseNorm[a] * inverseNorm[b];
    }

    /** Word {@code w}'s vector scaled to unit length, padded to the row stride. */
    public float[] unit(int w) {
        float[] v = new float[stride];
        for (int i = 0; i < dim; i++) v[i] = rows[w * stride + i] * inverseNorm[w];
        return v;
    }

    /**
     * The {@code k} words most similar to {@code word}, itself excluded, best first.
     *
     * @throws UnknownWordException when the word is not in the vocabulary
     */
    public List<Neighbour> nearest(String word, int k) {
        int w = indexOf(word);
        if (w < 0) throw new UnknownWordException(word, size());
        return nearest(unit(w), k, Set.of(w));
    }

    /** The {@code k} rows most similar (cosine) to {@code query} (length at least the stride), skipping {@code exclude}. */
    public List<Neighbour> nearest(float[] query, int k, Set<Integer> exclude) {
        if (k < 1) throw new IllegalArgumentException("k=" + k + " neighbours; allowed: k >= 1");
        int[] best = new int[k];
        float[] score = new float[k];
        int found = 0;
        for (int w = 0; w < words.length; w++) {
            if (exclude.contains(w)) continue;
            float c = EmbeddingRows.dot(stride, query, 0, rows, w * stride) * inverseNorm[w];
            if (found == k && c <= score[k - 1]) continue;
            int at = found < k ? found++ : k - 1;
            while (at > 0 && score[at - 1] < c) {
                score[at] = score[at - 1];
                best[at] = best[at - 1];
                at--;
            }
            score[at] = c;
            best[at] = w;
        }
        List<Neighbour> out = new ArrayList<>(found);
        for (int i = 0; i < found; i++) out.add(new Neighbour(words[best[i]], score[i]));
        return out;
    }

    /**
     * The row most similar (cosine) to {@code query} other than rows {@code a}, {@code b} and
     * {@code c}, or -1 for a vocabulary of those three only: the answer of an analogy question,
     * without the boxing of a set of exclusions (8,000 questions over 50,000 words each).
     */
    public int nearestExcept(float[] query, int a, int b, int c) {
        int best = -1;
        float top = Float.NEGATIVE_INFINITY;
        for (int w = 0; w < words.length; w++) {
            if (w == a || w == b || w == c) continue;
            float s = EmbeddingRows.dot(stride, query, 0, rows, w * stride) * inverseNorm[w];
            if (s > top) {
                top = s;
                best = w;
            }
        }
        return best;
    }

    /**
     * Writes the word2vec text format: a header {@code "<words> <dim>"}, then one line per word, its
     * components separated by spaces. Streams row by row into {@code out} and leaves it open.
     */
    public void writeText(OutputStream out) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        w.write(words.length + " " + dim + "\n");
        StringBuilder line = new StringBuilder(16 * dim);
        for (int r = 0; r < words.length; r++) {
            line.setLength(0);
            line.append(words[r]);
            for (int i = 0; i < dim; i++) line.append(' ').append(rows[r * stride + i]);
            line.append('\n');
            w.append(line);
        }
        w.flush();
    }
}
