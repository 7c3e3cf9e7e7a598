package dev.nnlab.runs;

import dev.nnlab.data.Dataset;
import dev.nnlab.data.FeatureTransform;
import dev.nnlab.data.MeanCentering;
import dev.nnlab.data.PcaWhitening;
import dev.nnlab.data.Standardization;
import dev.nnlab.data.UnitScaling;
import dev.nnlab.training.Split;

/**
 * A dataset split into train / validation / test and preprocessed, with every statistic fitted on
 * the training part alone (fitting on validation or test data leaks it into the model).
 *
 * <p>The split is a pure function of the dataset and {@code valFraction}: a fixed seed, stratified
 * by class, so runs with different seeds are compared on the same validation and test samples.
 * A dataset with an official test part (MNIST's 10,000) keeps it; one without gives 10% of its
 * samples to a test part.
 */
public record PreparedData(Dataset train, Dataset validation, Dataset test, String description) {
    /** The split's seed, recorded in every run's configuration. */
    public static final long SPLIT_SEED = 20_240_601L;
    public static final double TEST_FRACTION_WHEN_NONE = 0.1;

    public static PreparedData of(Dataset full, double valFraction, String preprocess) {
        Dataset pool, test;
        if (full.hasTestPart()) {
            pool = full.trainPart();
            test = full.testPart();
        } else {
            Split outer = Split.stratified(full.labels(), 1 - TEST_FRACTION_WHEN_NONE, 0, SPLIT_SEED);
            pool = full.subset(full.name() + ":train", outer.train());
            test = full.subset(full.name() + ":test", outer.test());
        }
        Split inner = Split.stratified(pool.labels(), 1 - valFraction, valFraction, SPLIT_SEED + 1);
        Dataset train = pool.subset(full.name() + ":train", inner.train());
        Dataset val = pool.subset(full.name() + ":val", inner.val());
        FeatureTransform t = transform(preprocess, train);
        String desc = String.format(java.util.Locale.ROOT, "%s: %d train / %d val / %d test, preprocess %s",
                full.name(), train.size(), val.size(), test.size(), preprocess);
        if (t == null) return new PreparedData(train, val, test, desc);
        return new PreparedData(t.apply(train), t.apply(val), t.apply(test), desc);
    }

    private static FeatureTransform transform(String preprocess, Dataset train) {
        return switch (preprocess) {
            case "none" -> null;
            case "scale" -> UnitScaling.fit(train);
            case "center" -> chain(UnitScaling.fit(train), MeanCentering::fit, train);
            case "standardize" -> Standardization.fit(train);
            case "pca_whiten" -> chain(UnitScaling.fit(train), PcaWhitening::fit, train);
            default -> throw new IllegalArgumentException("preprocess " + preprocess + " is not one of scale, center, standardize, pca_whiten, none");
        };
    }

    private static FeatureTransform chain(FeatureTransform first, java.util.function.Function<Dataset, FeatureTransform> second, Dataset train) {
        FeatureTransform then = second.apply(first.apply(train));
        return new FeatureTransform() {
            @Override public dev.nnlab.tensor.Tensor apply(dev.nnlab.tensor.Tensor features) { return then.apply(first.apply(features)); }
            @Override public dev.nnlab.data.FeatureScale outputScale() { return then.outputScale(); }
            @Override public String description() { return first.description() + ", then " + then.description(); }
        };
    }
}
