package dev.nnlab.data;

import dev.nnlab.tensor.Tensor;

import java.util.Arrays;

/**
 * Subtracts the training part's per-feature mean (CS231n: {@code X -= np.mean(X, axis=0)}).
 *
 * <p>Stability: stable for plugin authors.
 */
public final class MeanCentering implements FeatureTransform {
    private final float[] mean;

    private MeanCentering(float[] mean) { this.mean = mean; }

    /** Fits on {@code train.trainPart()}. */
    public static MeanCentering fit(Dataset train) {
        double[] m = FeatureStatistics.mean(train.trainPart().features());
        float[] mean = new float[m.length];
        for (int j = 0; j < m.length; j++) mean[j] = (float) m[j];
        return new MeanCentering(mean);
    }

    /** The fitted per-feature mean (D). */
    public float[] mean() { return mean.clone(); }

    @Override public String description() { return "center(" + mean.length + " features)"; }

    @Override
    public Tensor apply(Tensor features) {
        FeatureStatistics.requireFeatures(features, mean.length, "mean centering");
        float[] one = new float[mean.length];
        Arrays.fill(one, 1f);
        return FeatureStatistics.affine(features, mean, one);
    }

    @Override public FeatureScale outputScale() { return FeatureScale.REAL; }
}
