package dev.nnlab.data;

import dev.nnlab.tensor.Tensor;
import dev.nnlab.tensor.Rng;

import java.util.Locale;

/**
 * Isotropic Gaussian clusters, one per class, like scikit-learn's {@code make_blobs}: centers
 * uniform in {@code [-10, 10]^D} (its {@code center_box}), points {@code center + std * randn}.
 *
 * <p>Features {@code (K*N, D)}, rows grouped by class (class j is rows {@code [jN, (j+1)N)}):
 * shuffle before splitting or mini-batching. No test part.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class GaussianBlobs {
    public static final int DEFAULT_CLASSES = 3;
    public static final int DEFAULT_DIMS = 2;
    public static final int DEFAULT_POINTS_PER_CLASS = 100;
    public static final double DEFAULT_STD = 1.0;
    private static final double CENTER_BOX = 10.0;

    private GaussianBlobs() {}

    /** Seeded by value so that the checksum identifies the data; see {@link Spirals#generate}. */
    public static Dataset generate(int classes, int dims, int pointsPerClass, double std, long seed) {
        if (classes < 2 || dims < 1 || pointsPerClass < 1 || std < 0) {
            throw new IllegalArgumentException("blobs needs classes >= 2, dims >= 1, pointsPerClass >= 1, std >= 0; got "
                    + classes + ", " + dims + ", " + pointsPerClass + ", " + std);
        }
        Rng rng = new Rng(seed);
        double[] centers = new double[classes * dims];
        for (int i = 0; i < centers.length; i++) centers[i] = CENTER_BOX * (2 * rng.nextDouble() - 1);
        int n = classes * pointsPerClass;
        float[] x = new float[n * dims];
        int[] labels = new int[n];
        for (int row = 0; row < n; row++) {
            int j = row / pointsPerClass;
            for (int d = 0; d < dims; d++) {
                x[row * dims + d] = (float) (centers[j * dims + d] + std * rng.nextGaussian());
            }
            labels[row] = j;
        }
        String identity = String.format(Locale.ROOT, "blobs/v1 classes=%d dims=%d pointsPerClass=%d std=%s seed=%d",
                classes, dims, pointsPerClass, Double.toString(std), seed);
        return new Dataset("blobs", Tensor.of(x, n, dims), labels, Spirals.classNames(classes), n, FeatureScale.REAL,
                Sha256.ofText(identity));
    }
}
