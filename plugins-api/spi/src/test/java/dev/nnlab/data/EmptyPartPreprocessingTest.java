package dev.nnlab.data;

import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** valFraction 0 leaves an empty validation part of image shape (0, 1, H, W); every transform must pass it through. */
class EmptyPartPreprocessingTest {

    /** Two 1x2x2 images, pixel values 0..255. */
    private static Dataset images() {
        float[] x = {0, 51, 102, 255, 255, 204, 153, 0};
        return new Dataset("img", Tensor.of(x, 2, 1, 2, 2), new int[] {0, 1}, List.of("a", "b"), 2,
                FeatureScale.PIXELS_0_255, "c");
    }

    private static final Tensor EMPTY = Tensor.zeros(0, 1, 2, 2);

    @Test
    void unit_scaling_maps_an_empty_image_part_to_an_empty_part_of_the_same_shape() {
        assertThat(UnitScaling.fit(images()).apply(EMPTY).shape()).containsExactly(0, 1, 2, 2);
    }

    @Test
    void centering_and_standardization_accept_an_empty_image_part() {
        Dataset d = images();
        assertThat(MeanCentering.fit(d).apply(EMPTY).size()).isZero();
        assertThat(Standardization.fit(d).apply(EMPTY).size()).isZero();
    }

    @Test
    void an_empty_part_with_the_wrong_sample_shape_is_still_refused() {
        assertThatThrownBy(() -> UnitScaling.fit(images()).apply(Tensor.zeros(0, 1, 3, 3)))
                .hasMessageContaining("fitted on 4 features per sample");
    }
}
