package dev.nnlab.nn.layers;

import dev.nnlab.nn.Sequential;
import dev.nnlab.tensor.Tensor;
import dev.nnlab.tensor.Rng;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NetworkGradientTest {

    private static Sequential network(long seed) {
        return new Sequential(new int[] {4}, new Dense(6), new Tanh(), new Dense(5), new ReLU(), new Dense(3))
                .initialize(new Rng(seed));
    }

    /** Central differences are meaningless across the ReLU kink: the relu inputs must be clear of 0, some on each side. */
    private static boolean clearOfKink(Tensor z) {
        int negative = 0;
        for (int i = 0; i < z.size(); i++) {
            if (Math.abs(z.at(i)) <= 0.05f) return false;
            if (z.at(i) < 0) negative++;
        }
        return negative > 0 && negative < z.size();
    }

    @Test
    void two_hidden_layer_network_gradients_match_central_differences() {
        long seed = 20;
        Sequential net;
        Tensor x;
        do {
            seed++;
            net = network(seed);
            x = LayerGradients.uniform(seed, -1, 1, 3, 4);
            net.forward(x, true);
        } while (!clearOfKink(net.lastOutput(2)) && seed < 120);
        assertThat(clearOfKink(net.lastOutput(2))).as("found a draw clear of the relu kink").isTrue();

        LayerGradients.check(net, x, 23);
        assertThat(net.names()).containsExactly("dense0", "tanh1", "dense2", "relu3", "dense4");
    }
}
