package dev.nnlab.data;

import dev.nnlab.spi.CommonParams;
import dev.nnlab.spi.DataKind;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabelledPreparationTest {
    // 10 classes of 50 points, no official test part: 5 per class to test, the rest split 41 train : 4 validation.
    static final Dataset BLOBS = GaussianBlobs.generate(10, 4, 50, 1.0, 3);

    static int[] perClass(Dataset d) { return d.classCounts(); }

    @Test
    void train_samples_keeps_a_stratified_subset_of_exactly_n_and_leaves_validation_and_test_whole() {
        LabelledTensors all = new LabelledPreparation(0.1, "none", 0).prepare(BLOBS);
        LabelledTensors twenty = new LabelledPreparation(0.1, "none", 20).prepare(BLOBS);
        assertThat(all.train().size()).isEqualTo(410);
        assertThat(twenty.train().size()).isEqualTo(20);
        assertThat(perClass(twenty.train())).containsOnly(2);
        assertThat(twenty.validation().size()).isEqualTo(all.validation().size());
        assertThat(twenty.test().size()).isEqualTo(all.test().size());
        assertThat(twenty.describe()).contains("20 train").contains("stratified subset of 20");
    }

    @Test
    void the_subset_is_fixed_per_dataset_and_drawn_from_the_training_part_only() {
        LabelledTensors all = new LabelledPreparation(0.1, "none", 0).prepare(BLOBS);
        LabelledTensors a = new LabelledPreparation(0.1, "none", 20).prepare(BLOBS);
        LabelledTensors b = new LabelledPreparation(0.1, "none", 20).prepare(BLOBS);
        assertThat(a.train().features().data).containsExactly(b.train().features().data);
        assertThat(a.train().labels()).containsExactly(b.train().labels());
        // Every chosen sample is one of the full training part's rows.
        int d = BLOBS.featureCount();
        for (int i = 0; i < a.train().size(); i++) {
            boolean found = false;
            for (int j = 0; j < all.train().size() && !found; j++) {
                found = java.util.Arrays.equals(a.train().features().data, i * d, i * d + d, all.train().features().data, j * d, j * d + d);
            }
            assertThat(found).as("sample " + i).isTrue();
        }
    }

    @Test
    void more_train_samples_than_there_are_is_refused_naming_both_numbers() {
        assertThatThrownBy(() -> new LabelledPreparation(0.1, "none", 411).prepare(BLOBS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trainSamples = 411 is more than the 410 training samples of blobs");
        assertThat(new LabelledPreparation(0.1, "none", 410).prepare(BLOBS).train().size()).isEqualTo(410);
    }

    /** 60 images of 3x4 pixels 0..255 in 3 classes, the last 12 the official test part. */
    static Dataset pixels() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(4);
        float[] x = new float[60 * 12];
        for (int i = 0; i < x.length; i++) x[i] = r.nextInt(256);
        int[] y = new int[60];
        for (int i = 0; i < 60; i++) y[i] = i % 3;
        return new Dataset("px", dev.nnlab.tensor.Tensor.of(x, 60, 1, 3, 4), y, java.util.List.of("a", "b", "c"), 48,
                FeatureScale.PIXELS_0_255, "sha256:0");
    }

    @Test
    void scaled_pixels_of_the_training_part_are_also_kept_as_codes_that_decode_to_its_floats() {
        LabelledTensors scaled = new LabelledPreparation(0.25, "scale", 0).prepare(pixels());
        Dataset train = scaled.train();
        assertThat(train.pixelCodes()).hasSize(train.size() * 12);
        float[] back = new float[train.pixelCodes().length];
        dev.nnlab.kernels.PixelBytes.decode(back.length, train.pixelCodes(), 0, back, 0);
        assertThat(back).containsExactly(java.util.Arrays.copyOfRange(train.features().data, train.features().offset,
                train.features().offset + back.length));
        assertThat(scaled.validation().pixelCodes()).isNull();
        assertThat(scaled.test().pixelCodes()).isNull();
        assertThat(scaled.heapBytes()).isEqualTo(60L * 12 * Float.BYTES + 60L * Integer.BYTES + train.size() * 12L);
        // Features that are not pixels in [0, 1] keep floats only.
        assertThat(new LabelledPreparation(0.25, "standardize", 0).prepare(pixels()).train().pixelCodes()).isNull();
        assertThat(new LabelledPreparation(0.25, "none", 0).prepare(pixels()).train().pixelCodes()).isNull();
        assertThat(new LabelledPreparation(0.1, "scale", 0).prepare(BLOBS).train().pixelCodes()).isNull();
    }

    @Test
    void preprocessing_is_fitted_on_the_samples_trained_on() {
        LabelledTensors twenty = new LabelledPreparation(0.1, "standardize", 20).prepare(BLOBS);
        float[] x = twenty.train().features().data;
        for (int f = 0; f < 4; f++) {
            double mean = 0;
            for (int i = 0; i < 20; i++) mean += x[i * 4 + f];
            assertThat(mean / 20).isCloseTo(0, org.assertj.core.api.Assertions.within(1e-4));
        }
    }

    @Test
    void the_preparation_is_read_from_resolved_parameters_with_defaults_for_missing_ones() {
        Map<String, Object> resolved = new HashMap<>(CommonParams.SCHEMA.resolve(Map.of("trainSamples", 20, "preprocess", "center"), "$"));
        assertThat(DataKind.IMAGE.preparation(resolved)).isEqualTo(new LabelledPreparation(0.1, "center", 20));
        resolved.remove("trainSamples");
        assertThat(DataKind.VECTOR.preparation(resolved)).isEqualTo(new LabelledPreparation(0.1, "center", 0));
        assertThat(DataKind.TOKEN_STREAM.preparation(Map.of("vocabSize", 500))).isEqualTo(new TokenPreparation(500));
    }

    @Test
    void each_kind_brings_its_own_preparation_parameters_into_a_schema() {
        assertThat(CommonParams.SCHEMA.has("trainSamples")).isTrue();
        assertThat(CommonParams.SCHEMA.has("vocabSize")).isFalse();
        var lm = CommonParams.schemaFor(java.util.Set.of(DataKind.TOKEN_STREAM));
        assertThat(lm.has("vocabSize")).isTrue();
        assertThat(lm.has("preprocess")).isFalse();
        assertThat(lm.has("lr")).isTrue();
        // The labelled schema keeps its order: preparation right before seed.
        var names = CommonParams.SCHEMA.specs().stream().map(dev.nnlab.spi.ParamSpec::name).toList();
        assertThat(names.subList(names.indexOf("clipNorm"), names.indexOf("seed") + 1))
                .containsExactly("clipNorm", "valFraction", "preprocess", "trainSamples", "seed");
    }
}
