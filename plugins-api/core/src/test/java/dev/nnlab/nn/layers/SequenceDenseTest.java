package dev.nnlab.nn.layers;

import dev.nnlab.nn.Sequential;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SequenceDenseTest {

    @Test
    void every_step_gets_the_same_affine_map() {
        Sequential net = LayerGradients.single(new int[] {3, 2}, new SequenceDense(4), 1);
        net.params().value(net.name(0) + ".bias").data[net.params().entry(net.name(0) + ".bias").offset() + 1] = 0.5f;
        Tensor w = net.params().value(net.name(0) + ".weight"), b = net.params().value(net.name(0) + ".bias");
        Tensor x = LayerGradients.uniform(2, -1, 1, 2, 3, 2);
        Tensor y = net.forward(x, false);
        for (int r = 0; r < 6; r++) {
            for (int o = 0; o < 4; o++) {
                float e = b.at(o) + x.at(r * 2) * w.get(0, o) + x.at(r * 2 + 1) * w.get(1, o);
                assertThat(y.at(r * 4 + o)).isCloseTo(e, within(1e-5f));
            }
        }
    }

    @Test
    void gradients_of_a_gru_read_at_its_last_step_match_finite_differences() {
        Sequential net = new Sequential(new int[] {4, 3}, new Gru(5), new LastStep(), new Dense(2)).initialize(new Rng(3));
        LayerGradients.check(net, LayerGradients.uniform(2, -1.5f, 1.5f, 2, 4, 3), 4);
    }

    @Test
    void gradients_of_an_lstm_under_a_per_step_decoder_match_finite_differences() {
        Sequential net = new Sequential(new int[] {4, 3}, new Lstm(5, null, 1f), new SequenceDense(6)).initialize(new Rng(3));
        LayerGradients.check(net, LayerGradients.uniform(2, -1.5f, 1.5f, 2, 4, 3), 4);
    }
}
