package dev.nnlab.nn.layers;

import dev.nnlab.nn.Sequential;
import dev.nnlab.tensor.Tensor;
import dev.nnlab.tensor.Rng;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DropoutTest {

    @Test
    void probability_outside_zero_to_one_is_refused_naming_the_value() {
        assertThatThrownBy(() -> new Dropout(1f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dropout: p = 1.0 is not allowed; expected a number >= 0 and < 1");
        assertThatThrownBy(() -> new Dropout(-0.1f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-0.1");
        assertThatThrownBy(() -> new Dropout(Float.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }

    @Test
    void inverted_dropout_keeps_the_expected_value_and_drops_the_requested_fraction() {
        float p = 0.3f;
        Sequential net = LayerGradients.single(new int[] {1000}, new Dropout(p), 1);
        Tensor x = Tensor.zeros(100, 1000);
        x.fill(2f);
        Tensor y = net.forward(x, true);
        int dropped = 0;
        double sum = 0;
        for (int i = 0; i < y.size(); i++) {
            float v = y.at(i);
            if (v == 0f) {
                dropped++;
            } else {
                assertThat(v).isEqualTo(2f / (1f - p));
            }
            sum += v;
        }
        // 100k Bernoulli(0.3) draws: the fraction has std 0.0015, the mean std 2 * 0.0021.
        assertThat(dropped / 1e5).isCloseTo(p, within(0.01));
        assertThat(sum / 1e5).isCloseTo(2.0, within(0.02));
    }

    @Test
    void backward_is_the_kept_mask_times_the_scale_times_dy() {
        float p = 0.5f;
        Sequential net = LayerGradients.single(new int[] {8}, new Dropout(p), 3);
        Tensor x = LayerGradients.awayFromZero(1, 0.1f, 4, 8);
        Tensor y = net.forward(x, true).copy();
        Tensor dy = LayerGradients.uniform(2, -1, 1, 4, 8);
        Tensor dx = net.backward(dy);
        int kept = 0;
        for (int i = 0; i < x.size(); i++) {
            boolean keep = y.at(i) != 0f;
            if (keep) kept++;
            assertThat(y.at(i)).isEqualTo(keep ? x.at(i) * 2f : 0f);
            assertThat(dx.at(i)).isEqualTo(keep ? dy.at(i) * 2f : 0f);
        }
        assertThat(kept).isBetween(1, x.size() - 1);
    }

    @Test
    void same_rng_state_gives_the_same_mask_and_the_next_batch_a_new_one() {
        Tensor x = Tensor.zeros(4, 50);
        x.fill(1f);
        Sequential a = LayerGradients.single(new int[] {50}, new Dropout(0.5f), 7);
        Sequential b = LayerGradients.single(new int[] {50}, new Dropout(0.5f), 7);
        float[] first = a.forward(x, true).toArray();
        assertThat(b.forward(x, true).toArray()).containsExactly(first);
        assertThat(a.forward(x, true).toArray()).isNotEqualTo(first);
    }

    @Test
    void evaluation_is_the_identity() {
        Sequential net = LayerGradients.single(new int[] {5}, new Dropout(0.9f), 1);
        Tensor x = LayerGradients.uniform(3, -1, 1, 2, 5);
        assertThat(net.forward(x, false).toArray()).containsExactly(x.toArray());
    }

    @Test
    void training_forward_before_initialize_is_refused() {
        Sequential net = new Sequential(new int[] {2}, new Dropout(0.5f));
        assertThatThrownBy(() -> net.forward(Tensor.zeros(1, 2), true))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("initialize");
    }
}
