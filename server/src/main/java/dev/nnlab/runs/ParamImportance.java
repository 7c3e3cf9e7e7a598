package dev.nnlab.runs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which parameters of a sweep mattered for a metric, two ways, as W&B's parameter-importance panel:
 * <ul>
 *   <li>{@code correlation}: Pearson's r between the parameter (its log10 where the schema says it
 *       lives on a log scale) and the metric; null for a categorical parameter, which has no order;</li>
 *   <li>{@code importance}: permutation importance in a random forest (Breiman 2001): a forest of
 *       {@value #TREES} regression trees, each on a bootstrap sample of the runs, predicts the metric
 *       from all parameters at once; shuffling one parameter among a tree's out-of-bag runs raises its
 *       squared error by some amount, averaged over the trees. {@code importance} is that rise as a share
 *       of the sum over parameters (negative rises count as 0), so it also sees effects that are not
 *       monotone and interactions, which a correlation misses.</li>
 * </ul>
 * The forest and the shuffles draw from a fixed seed: the same runs give the same numbers.
 */
public final class ParamImportance {
    static final int TREES = 200, MAX_DEPTH = 6, MIN_LEAF = 2;
    /** Fewer runs than this give no forest worth reading. */
    public static final int MIN_RUNS = 6;

    /** One parameter's column: numbers (log10 already applied) or category codes. */
    public record Column(String name, double[] values, boolean categorical, boolean log) {}

    /**
     * @param correlation   Pearson's r; null for a categorical parameter or a constant side
     * @param importance    share of the forest's permutation importance; null with fewer than {@link #MIN_RUNS} runs
     * @param errorIncrease the mean rise of the out-of-bag squared error when the parameter is shuffled; null likewise
     */
    public record Result(String name, boolean log, boolean categorical, Double correlation, Double importance, Double errorIncrease) {}

    private ParamImportance() {}

    public static List<Result> of(List<Column> columns, double[] metric, long seed) {
        int n = metric.length;
        double[] rise = new double[columns.size()];
        if (n >= MIN_RUNS && !columns.isEmpty()) rise = permutationImportance(columns, metric, seed);
        double total = 0;
        for (double r : rise) total += Math.max(0, r);
        List<Result> out = new ArrayList<>();
        for (int j = 0; j < columns.size(); j++) {
            Column c = columns.get(j);
            Double r = c.categorical() ? null : pearson(c.values(), metric);
            Double share = n < MIN_RUNS ? null : total > 0 ? Math.max(0, rise[j]) / total : 0.0;
            out.add(new Result(c.name(), c.log(), c.categorical(), r, share, n < MIN_RUNS ? null : rise[j]));
        }
        return out;
    }

    /** Pearson's r; null when either side is constant (r is undefined then). */
    static Double pearson(double[] x, double[] y) {
        int n = x.length;
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        if (sxx <= 0 || syy <= 0) return null;
        return sxy / Math.sqrt(sxx * syy);
    }

    private static double[] permutationImportance(List<Column> columns, double[] y, long seed) {
        int n = y.length, p = columns.size();
        double[][] x = new double[n][p];
        for (int j = 0; j < p; j++) for (int i = 0; i < n; i++) x[i][j] = columns.get(j).values()[i];
        SplittableRandom rng = new SplittableRandom(seed);
        double[] rise = new double[p];
        int counted = 0;
        for (int t = 0; t < TREES; t++) {
            int[] sample = new int[n];
            boolean[] inBag = new boolean[n];
            for (int i = 0; i < n; i++) {
                sample[i] = rng.nextInt(n);
                inBag[sample[i]] = true;
            }
            int[] oob = java.util.stream.IntStream.range(0, n).filter(i -> !inBag[i]).toArray();
            if (oob.length < 2) continue;
            Node tree = grow(x, y, sample, 0);
            double base = error(tree, x, y, oob, -1, null);
            for (int j = 0; j < p; j++) {
                int[] shuffled = oob.clone();
                for (int i = shuffled.length - 1; i > 0; i--) {
                    int k = rng.nextInt(i + 1);
                    int s = shuffled[i];
                    shuffled[i] = shuffled[k];
                    shuffled[k] = s;
                }
                rise[j] += error(tree, x, y, oob, j, shuffled) - base;
            }
            counted++;
        }
        if (counted > 0) for (int j = 0; j < p; j++) rise[j] /= counted;
        return rise;
    }

    /** Mean squared error on {@code rows}, with column {@code j} read from the row at the same position of {@code from}. */
    private static double error(Node tree, double[][] x, double[] y, int[] rows, int j, int[] from) {
        double s = 0;
        double[] row = new double[x[0].length];
        for (int k = 0; k < rows.length; k++) {
            System.arraycopy(x[rows[k]], 0, row, 0, row.length);
            if (j >= 0) row[j] = x[from[k]][j];
            double d = tree.predict(row) - y[rows[k]];
            s += d * d;
        }
        return s / rows.length;
    }

    /** A regression tree: a leaf holds a mean, a split sends {@code x[feature] <= threshold} left. */
    private record Node(int feature, double threshold, Node left, Node right, double value) {
        double predict(double[] row) {
            Node n = this;
            while (n.left != null) n = row[n.feature] <= n.threshold ? n.left : n.right;
            return n.value;
        }
    }

    /** CART on squared error; every feature is tried at every split (few parameters: bagging, not feature sampling). */
    private static Node grow(double[][] x, double[] y, int[] rows, int depth) {
        double mean = 0;
        for (int r : rows) mean += y[r];
        mean /= rows.length;
        if (depth >= MAX_DEPTH || rows.length < 2 * MIN_LEAF) return new Node(-1, 0, null, null, mean);
        int p = x[0].length;
        double bestGain = 1e-12, bestThreshold = 0;
        int bestFeature = -1;
        double total = 0, totalSq = 0;
        for (int r : rows) {
            total += y[r];
            totalSq += y[r] * y[r];
        }
        double parentSse = totalSq - total * total / rows.length;
        Integer[] order = new Integer[rows.length];
        for (int j = 0; j < p; j++) {
            final int f = j;
            for (int k = 0; k < rows.length; k++) order[k] = rows[k];
            Arrays.sort(order, (a, b) -> Double.compare(x[a][f], x[b][f]));
            double leftSum = 0, leftSq = 0;
            for (int k = 0; k < rows.length - 1; k++) {
                double v = y[order[k]];
                leftSum += v;
                leftSq += v * v;
                int nl = k + 1, nr = rows.length - nl;
                if (nl < MIN_LEAF || nr < MIN_LEAF || x[order[k]][f] == x[order[k + 1]][f]) continue;
                double rightSum = total - leftSum, rightSq = totalSq - leftSq;
                double sse = (leftSq - leftSum * leftSum / nl) + (rightSq - rightSum * rightSum / nr);
                double gain = parentSse - sse;
                if (gain > bestGain) {
                    bestGain = gain;
                    bestFeature = f;
                    bestThreshold = (x[order[k]][f] + x[order[k + 1]][f]) / 2;
                }
            }
        }
        if (bestFeature < 0) return new Node(-1, 0, null, null, mean);
        final int bf = bestFeature;
        final double bt = bestThreshold;
        int[] left = Arrays.stream(rows).filter(r -> x[r][bf] <= bt).toArray();
        int[] right = Arrays.stream(rows).filter(r -> x[r][bf] > bt).toArray();
        return new Node(bf, bt, grow(x, y, left, depth + 1), grow(x, y, right, depth + 1), mean);
    }
}
