package dev.nnlab.data;

import dev.nnlab.spi.ParamSpec;
import dev.nnlab.tensor.Tensor;
import dev.nnlab.training.Split;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The preparation of labelled tensors ({@link dev.nnlab.spi.DataKind#VECTOR} and {@code IMAGE}):
 * the test part, the validation split, an optional stratified training subset, and preprocessing.
 *
 * <ol>
 *   <li>A dataset with an official test part (MNIST's 10,000) keeps it; one without gives
 *       {@value #TEST_FRACTION_WHEN_NONE} of its samples, stratified, to a test part.</li>
 *   <li>{@code valFraction} of the rest, stratified by class, becomes the validation part.</li>
 *   <li>{@code trainSamples > 0} keeps a stratified subset of that many training samples (the CS231n
 *       sanity check overfits 20); validation and test stay whole.</li>
 *   <li>{@code preprocess} is fitted on the training samples that remain and applied to all three
 *       parts (fitting on validation or test data leaks them into training).</li>
 *   <li>The training part also keeps its features as pixel codes when they are pixels scaled to [0, 1]
 *       ({@link Dataset#withPixelCodes()}).</li>
 * </ol>
 *
 * <p>Every split uses a fixed seed ({@link #SPLIT_SEED} and the two after it), never the run's seed:
 * runs that differ only by seed see the same samples.
 *
 * <p>Stability: stable.
 */
public record LabelledPreparation(double valFraction, String preprocess, int trainSamples) implements Preparation {
    public static final long SPLIT_SEED = 20_240_601L;
    public static final double TEST_FRACTION_WHEN_NONE = 0.1;
    public static final List<String> PREPROCESSING = List.of("scale", "center", "standardize", "pca_whiten", "none");

    public static final ParamSpec VAL_FRACTION = ParamSpec.ofFloat("valFraction", 0.1,
            "Share of the training data held out for validation.").min(0, true).max(0.9, true);
    public static final ParamSpec PREPROCESS = ParamSpec.ofChoice("preprocess", "scale", PREPROCESSING,
            "Input preprocessing, fitted on the training part only: scale pixels to [0,1]; center (scale, then subtract "
                    + "the mean); standardize (zero mean, unit variance per feature); pca_whiten (scale, then PCA whitening); none.");
    public static final ParamSpec TRAIN_SAMPLES = ParamSpec.ofInt("trainSamples", 0,
            "Train on a stratified subset of this many training samples (fixed per dataset); 0 uses them all.").min(0, true);
    public static final List<ParamSpec> PARAMS = List.of(VAL_FRACTION, PREPROCESS, TRAIN_SAMPLES);

    public LabelledPreparation {
        if (!(valFraction >= 0 && valFraction < 1)) throw new IllegalArgumentException("valFraction = " + valFraction + " must be in [0, 1)");
        if (!PREPROCESSING.contains(preprocess)) throw new IllegalArgumentException("preprocess " + preprocess + " is not one of " + PREPROCESSING);
        if (trainSamples < 0) throw new IllegalArgumentException("trainSamples = " + trainSamples + " must be >= 0");
    }

    /** From resolved parameters; a missing one takes its default. */
    public static LabelledPreparation of(Map<String, Object> resolved) {
        return new LabelledPreparation(
                ((Number) resolved.getOrDefault(VAL_FRACTION.name(), VAL_FRACTION.defaultValue())).doubleValue(),
                (String) resolved.getOrDefault(PREPROCESS.name(), PREPROCESS.defaultValue()),
                ((Number) resolved.getOrDefault(TRAIN_SAMPLES.name(), TRAIN_SAMPLES.defaultValue())).intValue());
    }

    @Override public String key() {
        return String.format(Locale.ROOT, "valFraction=%s preprocess=%s trainSamples=%d", valFraction, preprocess, trainSamples);
    }

    /**
     * Splits and preprocesses {@code full}.
     *
     * @throws IllegalArgumentException when {@code trainSamples} exceeds the training samples there are
     */
    public LabelledTensors prepare(Dataset full) {
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
        int[] trainIndices = inner.train();
        if (trainSamples > 0) {
            if (trainSamples > trainIndices.length) {
                throw new IllegalArgumentException("trainSamples = " + trainSamples + " is more than the " + trainIndices.length
                        + " training samples of " + full.name() + " (after the validation split); use at most "
                        + trainIndices.length + ", or 0 for all");
            }
            int[] labels = new int[trainIndices.length];
            for (int i = 0; i < labels.length; i++) labels[i] = pool.labels()[trainIndices[i]];
            int[] picked = Split.stratifiedSample(labels, trainSamples, SPLIT_SEED + 2);
            int[] subset = new int[picked.length];
            for (int i = 0; i < picked.length; i++) subset[i] = trainIndices[picked[i]];
            trainIndices = subset;
        }
        // Every pool sample in order (no validation part, no subset): the pool itself, not a copy of it;
        // for W4's 60,000 padded images that copy was 246 MB held until preprocessing had copied it again.
        Dataset train = isEveryIndex(trainIndices, pool.size()) && !pool.hasTestPart()
                ? pool : pool.subset(full.name() + ":train", trainIndices);
        Dataset val = pool.subset(full.name() + ":val", inner.val());
        String desc = String.format(Locale.ROOT, "%s: %d train / %d val / %d test, preprocess %s%s", full.name(), train.size(),
                val.size(), test.size(), preprocess, trainSamples > 0 ? ", stratified subset of " + trainSamples + " training samples" : "");
        FeatureTransform t = transform(preprocess, train);
        // Only the training part: its shuffled batches are what the codes speed up.
        if (t == null) return new LabelledTensors(train.withPixelCodes(), val, test, desc);
        return new LabelledTensors(t.apply(train).withPixelCodes(), t.apply(val), t.apply(test), desc + " (" + t.description() + ")");
    }

    private static boolean isEveryIndex(int[] indices, int n) {
        if (indices.length != n) return false;
        for (int i = 0; i < n; i++) if (indices[i] != i) return false;
        return true;
    }

    private static FeatureTransform transform(String preprocess, Dataset train) {
        return switch (preprocess) {
            case "none" -> null;
            case "scale" -> UnitScaling.fit(train);
            case "center" -> chain(UnitScaling.fit(train), MeanCentering::fit, train);
            case "standardize" -> Standardization.fit(train);
            case "pca_whiten" -> chain(UnitScaling.fit(train), PcaWhitening::fit, train);
            default -> throw new IllegalArgumentException("preprocess " + preprocess + " is not one of " + PREPROCESSING);
        };
    }

    private static FeatureTransform chain(FeatureTransform first, Function<Dataset, FeatureTransform> second, Dataset train) {
        FeatureTransform then = second.apply(first.apply(train));
        return new FeatureTransform() {
            @Override public Tensor apply(Tensor features) { return then.apply(first.apply(features)); }
            @Override public FeatureScale outputScale() { return then.outputScale(); }
            @Override public String description() { return first.description() + ", then " + then.description(); }
        };
    }
}
