package dev.nnlab.data;

import dev.nnlab.tensor.Tensor;

/**
 * Per-feature standardisation with the training part's mean and standard deviation (population,
 * divide by N): {@code (x - mean) / std}. A feature whose training std is below 1e-8 (MNIST's
 * always-black border pixels) is only centered: dividing by ~0 would blow any later value up.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class Standardization implements FeatureTransform {
    static final double MIN_STD = 1e-8;
    private final float[] mean;
    private final float[] inverseStd;

    private Standardization(float[] mean, float[] inverseStd) {
        this.mean = mean;
        this.inverseStd = inverseStd;
    }

    /** Fits on {@code train.trainPart()}. */
    public static Standardization fit(Dataset train) {
        Tensor x = train.trainPart().features();
        double[] m = FeatureStatistics.mean(x);
        double[] s = FeatureStatistics.std(x, m);
        float[] mean = new float[m.length], inv = new float[m.length];
        for (int j = 0; j < m.length; j++) {
            mean[j] = (float) m[j];
            inv[j] = s[j] < MIN_STD ? 1f : (float) (1 / s[j]);
        }
        return new Standardization(mean, inv);
    }

    @Override public String description() { return "standardize(" + mean.length + " features)"; }

    @Override
    public Tensor apply(Tensor features) {
        FeatureStatistics.requireFeatures(features, mean.length, "standardization");
        return FeatureStatistics.affine(features, mean, inverseStd);
    }

    @Override public FeatureScale outputScale() { return FeatureScale.REAL; }
}
