package dev.nnlab.plugins.word2vec;

import java.util.ArrayDeque;

/**
 * Draws negative words from the unigram distribution raised to 0.75 (Mikolov et al. 2013) in O(1)
 * with Walker's alias method (Vose's construction): one uniform slot, one biased coin.
 *
 * <p>Why not word2vec.c's table: its 1e8 ints take 400 MB (fastText's 1e7, 40 MB), more than any
 * cache, so nearly every draw is a memory miss. The alias table takes 8 bytes per word: 0.4 MB for a
 * 50k-word vocabulary, L2-resident, and it is exact instead of rounded to table slots.
 */
final class NegativeSampler {
    static final double POWER = 0.75;

    private final float[] probability;
    private final int[] alias;

    NegativeSampler(long[] counts) {
        int n = counts.length;
        if (n == 0) throw new IllegalArgumentException("negative sampling needs at least one word");
        double[] p = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) sum += p[i] = Math.pow(counts[i], POWER);
        ArrayDeque<Integer> small = new ArrayDeque<>(), large = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            p[i] = p[i] * n / sum;
            (p[i] < 1 ? small : large).push(i);
        }
        probability = new float[n];
        alias = new int[n];
        while (!small.isEmpty() && !large.isEmpty()) {
            int s = small.pop(), l = large.pop();
            probability[s] = (float) p[s];
            alias[s] = l;
            p[l] = p[l] + p[s] - 1;
            (p[l] < 1 ? small : large).push(l);
        }
        // What is left is 1 up to rounding.
        for (int i : large) { probability[i] = 1; alias[i] = i; }
        for (int i : small) { probability[i] = 1; alias[i] = i; }
    }

    /** A word drawn with probability count^0.75 / sum, from 64 random bits. */
    int sample(long bits) {
        // High 32 bits pick the slot (multiply-shift, no modulo), low 24 bits flip the coin.
        int slot = (int) (((bits >>> 32) * probability.length) >>> 32);
        float coin = (bits & 0xFFFFFF) * 0x1.0p-24f;
        return coin < probability[slot] ? slot : alias[slot];
    }

    /** The probability of drawing {@code word}, from the table (for tests). */
    double probabilityOf(int word) {
        double p = probability[word];
        for (int i = 0; i < alias.length; i++) if (alias[i] == word && i != word) p += 1 - probability[i];
        return p / probability.length;
    }

    long heapBytes() { return 16L + 4L * probability.length + 16L + 4L * alias.length; }
}
