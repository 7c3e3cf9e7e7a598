package dev.nnlab.data;

import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetTest {

    private static Dataset fourSamples() {
        float[] x = {0, 1, 10, 11, 20, 21, 30, 31};
        return new Dataset("d", Tensor.of(x, 4, 2), new int[] {0, 1, 1, 0}, List.of("a", "b"), 3,
                FeatureScale.REAL, "sha256:x");
    }

    @Test
    void parts_split_at_test_start_and_share_features() {
        Dataset d = fourSamples();
        Dataset train = d.trainPart(), test = d.testPart();
        assertThat(train.size()).isEqualTo(3);
        assertThat(train.hasTestPart()).isFalse();
        assertThat(test.labels()).containsExactly(0);
        assertThat(test.features().get(0, 1)).isEqualTo(31f);
        assertThat(test.features().data).isSameAs(d.features().data);
        assertThat(train.name()).isEqualTo("d:train");
        assertThat(test.checksum()).isEqualTo("sha256:x");
    }

    @Test
    void subset_copies_the_chosen_rows_in_order() {
        Dataset s = fourSamples().subset("s", new int[] {2, 0});
        assertThat(s.features().toArray()).containsExactly(20, 21, 0, 1);
        assertThat(s.labels()).containsExactly(1, 0);
        assertThat(s.classCounts()).containsExactly(1, 1);
    }

    @Test
    void label_outside_the_classes_is_rejected() {
        assertThatThrownBy(() -> new Dataset("d", Tensor.zeros(2, 2), new int[] {0, 2}, List.of("a", "b"), 2,
                FeatureScale.REAL, "c"))
                .hasMessageContaining("label 2 of sample 1 is outside 0..1");
    }

    @Test
    void label_count_must_match_rows() {
        assertThatThrownBy(() -> new Dataset("d", Tensor.zeros(3, 2), new int[] {0, 1}, List.of("a", "b"), 3,
                FeatureScale.REAL, "c"))
                .hasMessageContaining("2 labels for 3 samples");
    }
}
