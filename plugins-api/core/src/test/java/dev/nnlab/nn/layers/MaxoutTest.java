package dev.nnlab.nn.layers;

import dev.nnlab.nn.Sequential;
import dev.nnlab.tensor.Tensor;
import dev.nnlab.tensor.Rng;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MaxoutTest {

    @Test
    void each_unit_takes_the_max_of_its_contiguous_group_and_routes_the_gradient_there() {
        Sequential net = LayerGradients.single(new int[] {6}, new Maxout(3), 1);
        // unit 0 pieces {1, 5, -2}, unit 1 pieces {-4, -1, -3}
        Tensor y = net.forward(Tensor.of(new float[] {1, 5, -2, -4, -1, -3}, 1, 6), true);
        assertThat(y.shape()).containsExactly(1, 2);
        assertThat(y.toArray()).containsExactly(5f, -1f);
        Tensor dx = net.backward(Tensor.of(new float[] {10, 20}, 1, 2));
        assertThat(dx.toArray()).containsExactly(0, 10, 0, 0, 20, 0);
    }

    @Test
    void gradients_match_central_differences_without_near_ties() {
        int n = 3, units = 4, k = 3;
        Tensor x = Tensor.zeros(n, units * k);
        Rng rng = new Rng(9);
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < units; j++) {
                // Pieces of one unit are 0.25 apart give or take 0.05: ties are at least 0.15 away.
                int[] order = rng.permutation(k);
                float base = rng.uniform(-1, 1);
                for (int p = 0; p < k; p++) x.set(base + 0.25f * order[p] + rng.uniform(-0.05f, 0.05f), r, j * k + p);
            }
        }
        LayerGradients.check(LayerGradients.single(new int[] {units * k}, new Maxout(k), 1), x, 10);
    }

    /** True when the two pieces of every unit differ by more than 0.05, so no nudge flips a maximum. */
    private static boolean clearOfTies(Tensor z) {
        for (int i = 0; i < z.size(); i += 2) if (Math.abs(z.at(i) - z.at(i + 1)) <= 0.05f) return false;
        return true;
    }

    @Test
    void dense_followed_by_maxout_matches_central_differences() {
        long seed = 0;
        Sequential net;
        Tensor x;
        do {
            seed++;
            net = new Sequential(new int[] {3}, new Dense(8), new Maxout(2)).initialize(new Rng(seed));
            x = LayerGradients.uniform(seed + 1000, -1, 1, 2, 3);
            net.forward(x, true);
        } while (!clearOfTies(net.lastOutput(0)) && seed < 100);
        assertThat(clearOfTies(net.lastOutput(0))).as("found a draw without near-ties").isTrue();
        LayerGradients.check(net, x, 6);
    }

    @Test
    void feature_count_not_divisible_by_the_pieces_is_refused() {
        assertThatThrownBy(() -> new Sequential(new int[] {7}, new Maxout(3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("divisible by 3").hasMessageContaining("7");
    }
}
