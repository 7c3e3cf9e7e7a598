package dev.nnlab.training;

import dev.nnlab.data.SymmetricEigen;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The extreme eigenvalues and a spectral density of a symmetric operator known only through its
 * products with vectors (a loss Hessian through Hessian-vector products), by Lanczos iteration with
 * full reorthogonalisation, as in Ghorbani, Krishnan and Xiao (2019), "An investigation into neural
 * net optimization via Hessian eigenvalue density".
 *
 * <p>From each random unit start vector, {@code steps} iterations build a tridiagonal matrix T whose
 * eigenvalues (Ritz values) approach the operator's extreme eigenvalues first. Stochastic Lanczos
 * quadrature turns them into a density: with {@code y_k} the eigenvectors of T, the weights
 * {@code w_k = y_k[0]^2} (summing to 1) place mass {@code w_k} at Ritz value {@code theta_k}, and in
 * expectation over the start vector, the mass below a threshold is the share of the operator's n
 * eigenvalues below it. {@link Result#negativeShare} is that mass below {@code -tolerance},
 * averaged over the probes.
 *
 * <p>Stability: evolving.
 */
public final class LanczosSpectrum {

    /** {@code out = H v}; {@code v} has unit norm, {@code out} is zeroed by the caller. */
    @FunctionalInterface
    public interface Operator {
        void apply(double[] v, double[] out);
    }

    /**
     * Below {@code -NEGATIVE_TOLERANCE * max|theta|} a Ritz value counts as negative: products from
     * finite differences of float gradients carry noise of about this relative size, which would
     * otherwise split the zero eigenvalues of a flat direction into "negative" and "positive".
     */
    public static final double NEGATIVE_TOLERANCE = 1e-3;

    /**
     * @param ritzValues    every probe's Ritz values, ascending
     * @param weights       the quadrature weight of each Ritz value, divided by the number of probes (they sum to 1)
     * @param top           the largest Ritz values of the first probe, largest first (estimates of the top eigenvalues)
     * @param min           the smallest Ritz value over the probes (estimate of the smallest eigenvalue)
     * @param negativeShare the estimated share of the eigenvalues below {@code -tolerance}
     * @param tolerance     {@link #NEGATIVE_TOLERANCE} times the largest |Ritz value|
     * @param products      operator applications spent
     */
    public record Result(double[] ritzValues, double[] weights, double[] top, double min, double negativeShare,
                         double tolerance, int products) {
        public double max() { return top.length == 0 ? Double.NaN : top[0]; }
    }

    private LanczosSpectrum() {}

    /**
     * @param n      the dimension
     * @param steps  Lanczos iterations per probe (at most n); 20 to 50 resolve the extreme eigenvalues
     * @param probes random start vectors (one is enough when n is large: the quadrature concentrates)
     * @param topK   how many of the largest Ritz values to report
     */
    public static Result estimate(int n, Operator h, int steps, int probes, int topK, long seed) {
        if (n < 1) throw new IllegalArgumentException("dimension " + n + " must be >= 1");
        if (steps < 1 || probes < 1) throw new IllegalArgumentException("steps " + steps + " and probes " + probes + " must be >= 1");
        int m = Math.min(steps, n);
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] allValues = new double[probes][];
        double[][] allWeights = new double[probes][];
        int products = 0;
        for (int p = 0; p < probes; p++) {
            double[][] basis = new double[m + 1][];
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = gaussian(rng);
            scale(v, 1 / norm(v));
            basis[0] = v;
            double[] alpha = new double[m], beta = new double[m];
            double[] w = new double[n];
            int k = 0;
            for (; k < m; k++) {
                Arrays.fill(w, 0);
                h.apply(basis[k], w);
                products++;
                alpha[k] = dot(w, basis[k]);
                // Full reorthogonalisation, twice ("twice is enough", Parlett): in floating point the
                // plain three-term recurrence loses orthogonality and repeats converged Ritz values.
                for (int pass = 0; pass < 2; pass++) {
                    for (int j = 0; j <= k; j++) axpy(-dot(w, basis[j]), basis[j], w);
                }
                double b = norm(w);
                beta[k] = b;
                if (k + 1 == m || b <= 1e-10 * Math.max(1, Math.abs(alpha[k]))) {
                    k++;
                    break;
                }
                basis[k + 1] = w.clone();
                scale(basis[k + 1], 1 / b);
            }
            double[] off = Arrays.copyOf(beta, Math.max(0, k - 1));
            SymmetricEigen.Result eig = SymmetricEigen.tridiagonal(Arrays.copyOf(alpha, k), off);
            allValues[p] = new double[k];
            allWeights[p] = new double[k];
            // Ascending (the solver gives them descending); the quadrature weight of a Ritz value is the
            // squared first component of its eigenvector.
            for (int j = 0; j < k; j++) {
                int from = k - 1 - j;
                allValues[p][j] = eig.values()[from];
                allWeights[p][j] = eig.vectors()[from] * eig.vectors()[from] / probes;
            }
        }
        int total = Arrays.stream(allValues).mapToInt(a -> a.length).sum();
        double[] values = new double[total], weights = new double[total];
        int at = 0;
        double maxAbs = 0, min = Double.POSITIVE_INFINITY;
        for (int p = 0; p < probes; p++) {
            for (int j = 0; j < allValues[p].length; j++) {
                values[at] = allValues[p][j];
                weights[at++] = allWeights[p][j];
                maxAbs = Math.max(maxAbs, Math.abs(allValues[p][j]));
                min = Math.min(min, allValues[p][j]);
            }
        }
        Integer[] order = new Integer[total];
        for (int i = 0; i < total; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        double[] sortedValues = new double[total], sortedWeights = new double[total];
        for (int i = 0; i < total; i++) {
            sortedValues[i] = values[order[i]];
            sortedWeights[i] = weights[order[i]];
        }
        double tol = NEGATIVE_TOLERANCE * maxAbs;
        double negative = 0;
        for (int i = 0; i < total; i++) if (sortedValues[i] < -tol) negative += sortedWeights[i];
        double[] first = allValues[0];
        double[] top = new double[Math.min(topK, first.length)];
        for (int i = 0; i < top.length; i++) top[i] = first[first.length - 1 - i];
        return new Result(sortedValues, sortedWeights, top, min, Math.min(1, negative), tol, products);
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = 1 - rng.nextDouble(), u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static double norm(double[] a) { return Math.sqrt(dot(a, a)); }

    private static void scale(double[] a, double s) {
        for (int i = 0; i < a.length; i++) a[i] *= s;
    }

    private static void axpy(double s, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) y[i] += s * x[i];
    }
}
