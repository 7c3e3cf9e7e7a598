package dev.nnlab.data;

import dev.nnlab.tensor.Tensor;

/**
 * A preprocessing step whose statistics were fitted on a training set and are then applied,
 * unchanged, to any part: train, validation, test. Fitting on validation or test data leaks them
 * into training (CS231n: "any preprocessing statistics must only be computed on the training
 * data, and then applied to the validation / test data").
 *
 * <p>Fitters take a {@link Dataset} and use only its {@link Dataset#trainPart()}: pass the train
 * split, never the whole dataset with its validation samples.
 *
 * <p>Stability: stable for plugin authors.
 */
public interface FeatureTransform {

    /** What was fitted, for a run's provenance: {@code "standardize(784 features)"}. */
    String description();

    /** The transformed features of {@code (N, ...)} rows, as a new tensor; the input is untouched. */
    Tensor apply(Tensor features);

    /** The range of what {@link #apply} returns. */
    FeatureScale outputScale();

    /** {@code dataset} with transformed features; labels, parts and checksum unchanged. */
    default Dataset apply(Dataset dataset) {
        return dataset.withFeatures(apply(dataset.features()), outputScale());
    }
}
