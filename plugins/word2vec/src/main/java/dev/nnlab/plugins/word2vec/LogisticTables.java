package dev.nnlab.plugins.word2vec;

/**
 * The logistic function and its log, tabulated on [-6, 6] as word2vec.c does (a table lookup
 * costs less than {@code exp}, and the 1000 entries of each stay in L1). Outside the range the
 * sigmoid saturates to 0 or 1, which gives word2vec.c's clipped negative-sampling gradient.
 */
final class LogisticTables {
    static final float MAX = 6f;
    private static final int SIZE = 1000;
    private static final float SCALE = SIZE / (2 * MAX);
    private static final float[] SIGMOID = new float[SIZE + 1];
    private static final float[] LOG_SIGMOID = new float[SIZE + 1];

    static {
        for (int i = 0; i <= SIZE; i++) {
            double x = (i / (double) SIZE * 2 - 1) * MAX;
            SIGMOID[i] = (float) (1 / (1 + Math.exp(-x)));
            LOG_SIGMOID[i] = (float) -Math.log1p(Math.exp(-x));
        }
    }

    private LogisticTables() {}

    static float sigmoid(float x) {
        if (x >= MAX) return 1;
        if (x <= -MAX) return 0;
        return SIGMOID[(int) ((x + MAX) * SCALE + 0.5f)];
    }

    /**
     * The negative-sampling gradient factor {@code label - sigmoid(f)}, or 0 when {@code f} is beyond
     * the table: gensim's {@code word2vec_inner} skips such saturated outputs, where word2vec.c
     * applies a full {@code label - 0/1} step. Following gensim (the peer the benchmarks compare
     * quality with) matters for a confidently wrong negative, which word2vec.c pushes with the whole rate.
     */
    static float negativeGradient(int label, float f) {
        if (f <= -MAX || f >= MAX) return 0;
        return label - SIGMOID[(int) ((f + MAX) * SCALE + 0.5f)];
    }

    /** log sigmoid(x); beyond the table, its asymptotes 0 and x. */
    static float logSigmoid(float x) {
        if (x >= MAX) return 0;
        if (x <= -MAX) return x;
        return LOG_SIGMOID[(int) ((x + MAX) * SCALE + 0.5f)];
    }
}
