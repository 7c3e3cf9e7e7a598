package dev.nnlab.data;

/**
 * What range a {@link Dataset}'s features are in, so a preprocessing step knows whether "scale to
 * [0, 1]" means dividing by 255 or fitting a per-feature min/max.
 *
 * <p>Stability: stable for plugin authors.
 */
public enum FeatureScale {
    /** Image pixels as loaded from IDX files: byte values 0..255 stored as floats, not yet scaled. */
    PIXELS_0_255,
    /** Scaled into [0, 1] (on the train part; other parts may stray slightly outside). */
    UNIT_INTERVAL,
    /** Any real values: generated coordinates, centered, standardised or whitened features. */
    REAL
}
