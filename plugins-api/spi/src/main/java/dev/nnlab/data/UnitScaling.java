package dev.nnlab.data;

import dev.nnlab.tensor.Tensor;

import java.util.Arrays;

/**
 * Scales features into [0, 1]. Pixels ({@link FeatureScale#PIXELS_0_255}) are divided by 255, a
 * fixed constant; other features are min-max scaled per feature with the training part's minimum
 * and maximum, so validation and test values may fall slightly outside [0, 1].
 *
 * <p>Stability: stable for plugin authors.
 */
public final class UnitScaling implements FeatureTransform {
    private final float[] min;
    private final float[] inverseRange;
    private final boolean pixels;

    private UnitScaling(float[] min, float[] inverseRange, boolean pixels) {
        this.min = min;
        this.inverseRange = inverseRange;
        this.pixels = pixels;
    }

    /** Fits on {@code train.trainPart()}. */
    public static UnitScaling fit(Dataset train) {
        Tensor x = train.trainPart().features();
        int d = train.featureCount();
        if (train.scale() == FeatureScale.PIXELS_0_255) {
            float[] inv = new float[d];
            Arrays.fill(inv, 1f / 255f);
            return new UnitScaling(new float[d], inv, true);
        }
        float[] mm = FeatureStatistics.minMax(x);
        float[] min = Arrays.copyOf(mm, d);
        float[] inv = new float[d];
        for (int j = 0; j < d; j++) {
            float range = mm[d + j] - mm[j];
            // A constant feature maps to 0 rather than to NaN.
            inv[j] = range > 0 ? 1f / range : 1f;
        }
        return new UnitScaling(min, inv, false);
    }

    @Override
    public String description() {
        return pixels ? "scale(/255, " + min.length + " features)" : "scale(min-max, " + min.length + " features)";
    }

    @Override
    public Tensor apply(Tensor features) {
        FeatureStatistics.requireFeatures(features, min.length, "unit scaling");
        return FeatureStatistics.affine(features, min, inverseRange);
    }

    @Override
    public FeatureScale outputScale() { return FeatureScale.UNIT_INTERVAL; }
}
