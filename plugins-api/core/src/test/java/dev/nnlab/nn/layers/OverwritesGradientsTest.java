package dev.nnlab.nn.layers;

import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Sequential;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Layers that write their gradients ({@link OverwritesGradients}) under a loop that leaves them out of
 * zeroGrad give the gradients of the accumulating default over zeroed gradients, window after window
 * with the recurrent state carried (the stacked product [x | h_{t-1} | 1]^T dPre of rnn and lstm, the
 * separate products of gru), and the same values in every parameter after SGD steps.
 */
class OverwritesGradientsTest {

    private static Sequential net(String kind) {
        Layer cell = switch (kind) {
            case "rnn" -> new Rnn(5);
            case "lstm" -> new Lstm(5, null, 1f);
            case "gru" -> new Gru(5);
            default -> throw new IllegalArgumentException(kind);
        };
        Sequential s = new Sequential(new int[] {4, 3}, cell, new Lstm(6, null, 0f), new SequenceDense(290)).initialize(new Rng(9));
        for (Layer l : s.layers()) if (l instanceof Recurrent r) r.carryState(true);
        return s;
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnn", "lstm", "gru"})
    void overwriting_layers_train_like_accumulating_ones_over_zeroed_gradients(String kind) {
        float[][] values = new float[2][], grads = new float[2][];
        for (int mode = 0; mode < 2; mode++) {
            Sequential net = net(kind);
            Parameters p = net.params();
            Set<String> skip = new HashSet<>();
            if (mode == 1) {
                for (Layer l : net.layers()) {
                    if (l instanceof OverwritesGradients o) {
                        o.overwriteGradients(true);
                        skip.addAll(o.parameterNames());
                    }
                }
                assertThat(skip).hasSize(3 + 3 + 2 + (kind.equals("gru") ? 1 : 0));
                // Whatever the gradient held before must not leak into an overwritten one.
                java.util.Arrays.fill(p.grads, Float.NaN);
            }
            for (int window = 0; window < 3; window++) {
                Tensor x = LayerGradients.uniform(10 + window, -1.5f, 1.5f, 2, 4, 3);
                Tensor y = net.forward(x, true);
                if (mode == 1) p.zeroGradExcept(skip);
                else p.zeroGrad();
                net.backward(LayerGradients.uniform(20 + window, -1f, 1f, y.shape()));
                for (int i = 0; i < p.size(); i++) p.values[i] -= 0.1f * p.grads[i];
            }
            values[mode] = p.values.clone();
            grads[mode] = p.grads.clone();
        }
        for (int i = 0; i < values[0].length; i++) {
            // == (not bit equality): 0 + (-0) is +0 where a written gradient keeps -0.
            assertThat(grads[1][i] == grads[0][i]).as("grad[%d]: %s vs %s", i, grads[1][i], grads[0][i]).isTrue();
            assertThat(values[1][i] == values[0][i]).as("value[%d]", i).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnn", "lstm", "gru"})
    void by_default_two_backward_passes_add_up(String kind) {
        Sequential net = net(kind);
        Tensor x = LayerGradients.uniform(3, -1.5f, 1.5f, 2, 4, 3);
        Tensor dy = LayerGradients.uniform(4, -1f, 1f, 2, 4, 290);
        for (Layer l : net.layers()) if (l instanceof Recurrent r) r.carryState(false);
        net.forward(x, true);
        net.params().zeroGrad();
        net.backward(dy);
        float[] once = net.params().grads.clone();
        net.forward(x, true);
        net.backward(dy);
        for (int i = 0; i < once.length; i++) {
            assertThat(net.params().grads[i]).as("grad[%d]", i).isCloseTo(2 * once[i], org.assertj.core.api.Assertions.within(1e-6f * (1 + Math.abs(once[i]))));
        }
    }
}
