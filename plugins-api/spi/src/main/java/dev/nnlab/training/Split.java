package dev.nnlab.training;

import dev.nnlab.tensor.Rng;

import java.util.Arrays;

/**
 * A deterministic train / validation / test partition of sample indices {@code 0..N-1}: the same
 * seed gives the same split on every machine; the three parts are disjoint and together complete.
 * Each part is sorted ascending (mini-batching reshuffles anyway, and sorted indices read well in
 * a stored run).
 *
 * <p>Part sizes are {@code round(N * trainFraction)} and {@code round(N * valFraction)}; the test
 * part takes the rest, so fractions summing to 1 leave no sample out. A stratified split applies
 * the same rounding within every class, so each class keeps its share in every part (per-class
 * rounding can move the totals by up to one sample per class).
 *
 * <p>Stability: stable for plugin authors.
 */
public record Split(int[] train, int[] val, int[] test) {

    /** A uniformly random split of {@code n} samples. */
    public static Split random(int n, double trainFraction, double valFraction, long seed) {
        checkFractions(trainFraction, valFraction);
        if (n < 0) throw new IllegalArgumentException("n = " + n + " must be >= 0");
        int[] perm = new Rng(seed).permutation(n);
        int nTrain = (int) Math.round(n * trainFraction);
        int nVal = Math.min((int) Math.round(n * valFraction), n - nTrain);
        return new Split(sorted(perm, 0, nTrain), sorted(perm, nTrain, nTrain + nVal), sorted(perm, nTrain + nVal, n));
    }

    /** A split in which every label value is divided by the fractions separately. Labels must be >= 0. */
    public static Split stratified(int[] labels, double trainFraction, double valFraction, long seed) {
        checkFractions(trainFraction, valFraction);
        int classes = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) throw new IllegalArgumentException("label[" + i + "] = " + labels[i] + " must be >= 0");
            classes = Math.max(classes, labels[i] + 1);
        }
        int[] count = new int[classes];
        for (int y : labels) count[y]++;
        int[] train = new int[labels.length], val = new int[labels.length], test = new int[labels.length];
        int nTrain = 0, nVal = 0, nTest = 0;
        Rng rng = new Rng(seed);
        for (int c = 0; c < classes; c++) {
            int[] members = new int[count[c]];
            int m = 0;
            for (int i = 0; i < labels.length; i++) if (labels[i] == c) members[m++] = i;
            rng.shuffle(members);
            int t = (int) Math.round(m * trainFraction);
            int v = Math.min((int) Math.round(m * valFraction), m - t);
            for (int i = 0; i < m; i++) {
                if (i < t) train[nTrain++] = members[i];
                else if (i < t + v) val[nVal++] = members[i];
                else test[nTest++] = members[i];
            }
        }
        return new Split(sorted(train, 0, nTrain), sorted(val, 0, nVal), sorted(test, 0, nTest));
    }

    /**
     * Exactly {@code n} of the indices {@code 0..labels.length-1}, sorted, with every class
     * represented in proportion to its share (largest remainder: the {@code n - sum(floor)} seats left
     * over go to the classes with the largest fractional parts, ties to the smaller class index). The
     * members of each class are drawn by a permutation seeded with {@code seed}.
     */
    public static int[] stratifiedSample(int[] labels, int n, long seed) {
        if (n < 0 || n > labels.length) throw new IllegalArgumentException("n = " + n + " must be in [0, " + labels.length + "]");
        int classes = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) throw new IllegalArgumentException("label[" + i + "] = " + labels[i] + " must be >= 0");
            classes = Math.max(classes, labels[i] + 1);
        }
        int[] count = new int[classes];
        for (int y : labels) count[y]++;
        int[] quota = new int[classes];
        double[] remainder = new double[classes];
        int seated = 0;
        for (int c = 0; c < classes; c++) {
            double exact = (double) n * count[c] / labels.length;
            quota[c] = (int) Math.floor(exact);
            remainder[c] = exact - quota[c];
            seated += quota[c];
        }
        while (seated < n) {
            int best = -1;
            for (int c = 0; c < classes; c++) {
                if (quota[c] < count[c] && (best < 0 || remainder[c] > remainder[best])) best = c;
            }
            quota[best]++;
            remainder[best] = -1;
            seated++;
        }
        int[] out = new int[n];
        int k = 0;
        Rng rng = new Rng(seed);
        for (int c = 0; c < classes; c++) {
            int[] members = new int[count[c]];
            int m = 0;
            for (int i = 0; i < labels.length; i++) if (labels[i] == c) members[m++] = i;
            rng.shuffle(members);
            for (int i = 0; i < quota[c]; i++) out[k++] = members[i];
        }
        Arrays.sort(out);
        return out;
    }

    private static void checkFractions(double train, double val) {
        if (!(train >= 0 && train <= 1)) throw new IllegalArgumentException("trainFraction = " + train + " must be in [0, 1]");
        if (!(val >= 0 && val <= 1)) throw new IllegalArgumentException("valFraction = " + val + " must be in [0, 1]");
        // Slack for fractions that sum to 1 only up to double rounding (e.g. 1/3 + 2/3 read from text).
        if (train + val > 1 + 1e-9) {
            throw new IllegalArgumentException("trainFraction + valFraction = " + (train + val) + " must be <= 1");
        }
    }

    private static int[] sorted(int[] a, int from, int to) {
        int[] part = Arrays.copyOfRange(a, from, to);
        Arrays.sort(part);
        return part;
    }

    @Override
    public String toString() {
        return "Split[train=" + train.length + ", val=" + val.length + ", test=" + test.length + "]";
    }
}
