package dev.nnlab.data;

import dev.nnlab.kernels.Sgemm;
import dev.nnlab.tensor.Tensor;

/**
 * PCA whitening (CS231n): center with the training mean, rotate onto the eigenbasis U of the
 * training covariance {@code X^T X / N}, divide each component by {@code sqrt(lambda + epsilon)}.
 * Epsilon (1e-5, CS231n's value) keeps near-zero-variance directions, e.g. MNIST's constant
 * border pixels, from being amplified into noise. Optionally keeps only the top k components
 * (PCA dimensionality reduction), or rotates back with {@code U^T} (ZCA whitening, which keeps
 * the data closest to the original, so images still look like images).
 *
 * <p>Output: {@code (N, k)} for PCA; the input's shape for ZCA.
 *
 * <p>Cost: the covariance is one TN gemm per block of rows; the eigen-decomposition
 * ({@link SymmetricEigen}) takes about 2 s for D = 784.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class PcaWhitening implements FeatureTransform {
    public static final double DEFAULT_EPSILON = 1e-5;
    private static final int BLOCK_ROWS = 256;

    private final float[] mean;      // (D)
    private final float[] projection; // (D, k): U_k diag(1 / sqrt(lambda + eps)), times U_k^T for ZCA (then k = D)
    private final double[] eigenvalues;
    private final int outputs;
    private final boolean zca;
    private final double epsilon;

    private PcaWhitening(float[] mean, float[] projection, double[] eigenvalues, int outputs, boolean zca, double epsilon) {
        this.mean = mean;
        this.projection = projection;
        this.eigenvalues = eigenvalues;
        this.outputs = outputs;
        this.zca = zca;
        this.epsilon = epsilon;
    }

    /** PCA whitening with every component and epsilon 1e-5, fitted on {@code train.trainPart()}. */
    public static PcaWhitening fit(Dataset train) {
        return fit(train, train.featureCount(), DEFAULT_EPSILON, false);
    }

    /**
     * @param components how many leading components to keep (PCA); must be D for ZCA
     * @param zca        rotate back into the input space (ZCA) instead of keeping PCA coordinates
     */
    public static PcaWhitening fit(Dataset train, int components, double epsilon, boolean zca) {
        Tensor x = train.trainPart().features();
        int d = train.featureCount();
        if (components < 1 || components > d) throw new IllegalArgumentException("components " + components + " outside 1.." + d);
        if (zca && components != d) throw new IllegalArgumentException("ZCA keeps all " + d + " components, got " + components);
        if (epsilon < 0) throw new IllegalArgumentException("epsilon " + epsilon + " < 0");
        double[] m = FeatureStatistics.mean(x);
        float[] mean = new float[d];
        for (int j = 0; j < d; j++) mean[j] = (float) m[j];

        SymmetricEigen.Result eig = SymmetricEigen.decompose(covariance(x, mean), d);
        double[] u = eig.vectors();
        double[] w = new double[d * components];
        for (int i = 0; i < d; i++) {
            for (int c = 0; c < components; c++) {
                // Rounding can leave a zero eigenvalue slightly negative; it is a variance, clamp it.
                w[i * components + c] = u[i * d + c] / Math.sqrt(Math.max(eig.values()[c], 0) + epsilon);
            }
        }
        float[] projection = new float[d * components];
        if (zca) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double s = 0;
                    for (int c = 0; c < d; c++) s += w[i * d + c] * u[j * d + c];
                    projection[i * d + j] = (float) s;
                }
            }
        } else {
            for (int i = 0; i < projection.length; i++) projection[i] = (float) w[i];
        }
        return new PcaWhitening(mean, projection, eig.values(), components, zca, epsilon);
    }

    /** Covariance {@code Xc^T Xc / N} in double; float gemms over blocks of rows keep the rounding per block small. */
    private static double[] covariance(Tensor x, float[] mean) {
        int n = x.rows(), d = mean.length;
        double[] cov = new double[d * d];
        float[] block = new float[BLOCK_ROWS * d];
        float[] partial = new float[d * d];
        for (int start = 0; start < n; start += BLOCK_ROWS) {
            int rows = Math.min(BLOCK_ROWS, n - start);
            center(x, start, rows, mean, block);
            Sgemm.gemm(true, false, d, d, rows, 1f, block, 0, d, block, 0, d, 0f, partial, 0, d);
            for (int i = 0; i < cov.length; i++) cov[i] += partial[i];
        }
        for (int i = 0; i < cov.length; i++) cov[i] /= n;
        return cov;
    }

    private static void center(Tensor x, int start, int rows, float[] mean, float[] out) {
        int d = mean.length;
        for (int i = 0; i < rows; i++) {
            int src = x.offset + (start + i) * d;
            for (int j = 0; j < d; j++) out[i * d + j] = x.data[src + j] - mean[j];
        }
    }

    /** Eigenvalues of the training covariance, descending (D). */
    public double[] eigenvalues() { return eigenvalues.clone(); }

    @Override
    public String description() {
        return (zca ? "zca" : "pca") + "-whiten(" + mean.length + " features -> " + outputs + ", eps " + epsilon + ")";
    }

    @Override
    public Tensor apply(Tensor features) {
        int d = mean.length;
        FeatureStatistics.requireFeatures(features, d, "whitening");
        int n = features.rows();
        float[] out = new float[n * outputs];
        float[] block = new float[BLOCK_ROWS * d];
        for (int start = 0; start < n; start += BLOCK_ROWS) {
            int rows = Math.min(BLOCK_ROWS, n - start);
            center(features, start, rows, mean, block);
            Sgemm.gemm(false, false, rows, outputs, d, 1f, block, 0, d, projection, 0, outputs, 0f, out, start * outputs, outputs);
        }
        return zca ? Tensor.of(out, features.shape()) : Tensor.of(out, n, outputs);
    }

    @Override public FeatureScale outputScale() { return FeatureScale.REAL; }
}
