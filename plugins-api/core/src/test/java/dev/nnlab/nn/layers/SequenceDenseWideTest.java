package dev.nnlab.nn.layers;

import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Sequential;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A decoder wide enough (more than 256 outputs) that its bias rides in the products ([x | 1] times
 * [W; b]) and, with {@link SequenceDense#overwriteGradients}, its weight-gradient product writes the
 * gradient: both checked against a scalar double reference on awkward shapes (odd widths, a column
 * tail, one row, one input), accumulating and overwriting.
 */
class SequenceDenseWideTest {

    @Test
    void wide_forward_and_gradients_match_a_scalar_reference() {
        for (int[] shape : new int[][] {{2, 3, 7, 517}, {1, 1, 5, 300}, {3, 2, 1, 263}, {1, 4, 13, 1031}}) {
            for (boolean overwrite : new boolean[] {false, true}) {
                checkAgainstReference(shape[0], shape[1], shape[2], shape[3], overwrite);
            }
        }
    }

    private static void checkAgainstReference(int n, int steps, int in, int out, boolean overwrite) {
        String what = "n=" + n + " steps=" + steps + " in=" + in + " out=" + out + " overwrite=" + overwrite;
        SequenceDense layer = new SequenceDense(out);
        Sequential net = LayerGradients.single(new int[] {steps, in}, layer, 5);
        Parameters p = net.params();
        Tensor w = p.value(net.name(0) + ".weight"), b = p.value(net.name(0) + ".bias");
        Rng rng = new Rng(11);
        for (int o = 0; o < out; o++) b.data[b.offset + o] = rng.uniform(-1, 1);
        Tensor x = LayerGradients.uniform(7, -1, 1, n, steps, in);
        Tensor y = net.forward(x, true);
        int rows = n * steps;
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double e = b.at(o);
                for (int i = 0; i < in; i++) e += (double) x.at(r * in + i) * w.get(i, o);
                assertThat((double) y.at(r * out + o)).as(what + " y").isCloseTo(e, within(1e-5));
            }
        }
        // Gradients already holding something: accumulating must add to it, overwriting must not read it.
        Tensor dw = p.grad(net.name(0) + ".weight"), db = p.grad(net.name(0) + ".bias");
        for (int i = 0; i < dw.size(); i++) dw.data[dw.offset + i] = 0.25f;
        for (int o = 0; o < out; o++) db.data[db.offset + o] = overwrite ? Float.NaN : 0.25f;
        if (overwrite) dw.data[dw.offset] = Float.NaN;
        layer.overwriteGradients(overwrite);
        Tensor dy = LayerGradients.uniform(9, -1, 1, n, steps, out);
        Tensor dx = net.backward(dy);
        double base = overwrite ? 0 : 0.25;
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < in; i++) {
                double e = 0;
                for (int o = 0; o < out; o++) e += (double) dy.at(r * out + o) * w.get(i, o);
                assertThat((double) dx.at(r * in + i)).as(what + " dx").isCloseTo(e, within(1e-4));
            }
        }
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                double e = base;
                for (int r = 0; r < rows; r++) e += (double) x.at(r * in + i) * dy.at(r * out + o);
                assertThat((double) dw.get(i, o)).as(what + " dW").isCloseTo(e, within(1e-5));
            }
        }
        for (int o = 0; o < out; o++) {
            double e = base;
            for (int r = 0; r < rows; r++) e += dy.at(r * out + o);
            assertThat((double) db.at(o)).as(what + " db").isCloseTo(e, within(1e-5));
        }
    }

    @Test
    void the_bias_in_the_product_gives_the_bits_of_a_product_then_a_bias_add() {
        // Same weights, x and bias: the folded forward (bias as the last term) against the bias-free product plus b.
        int n = 2, steps = 3, in = 9, out = 333;
        Sequential net = LayerGradients.single(new int[] {steps, in}, new SequenceDense(out), 5);
        Tensor b = net.params().value(net.name(0) + ".bias");
        Tensor x = LayerGradients.uniform(4, -1, 1, n, steps, in);
        float[] noBias = net.forward(x, false).data.clone();
        Rng rng = new Rng(2);
        for (int o = 0; o < out; o++) b.data[b.offset + o] = rng.uniform(-1, 1);
        float[] withBias = net.forward(x, false).data;
        for (int r = 0; r < n * steps; r++) {
            for (int o = 0; o < out; o++) {
                assertThat(withBias[r * out + o]).as("row " + r + " col " + o).isEqualTo(noBias[r * out + o] + b.at(o));
            }
        }
    }

    @Test
    void gradients_of_an_lstm_under_a_wide_decoder_match_finite_differences() {
        Sequential net = new Sequential(new int[] {3, 2}, new Lstm(3), new SequenceDense(270)).initialize(new Rng(3));
        LayerGradients.check(net, LayerGradients.uniform(2, -1.5f, 1.5f, 2, 3, 2), 4);
    }

    @Test
    void an_overwriting_decoder_trains_like_an_accumulating_one_over_zeroed_gradients() {
        Tensor x = LayerGradients.uniform(3, -1, 1, 2, 4, 6);
        Tensor dy = LayerGradients.uniform(8, -1, 1, 2, 4, 301);
        float[][] grads = new float[2][];
        for (int k = 0; k < 2; k++) {
            SequenceDense d = new SequenceDense(301);
            Sequential net = new Sequential(new int[] {4, 6}, new Lstm(5), d).initialize(new Rng(1));
            d.overwriteGradients(k == 1);
            for (int step = 0; step < 3; step++) {
                net.forward(x, true);
                if (k == 1) net.params().zeroGradExcept(Set.copyOf(d.parameterNames()));
                else net.params().zeroGrad();
                net.backward(dy);
            }
            grads[k] = net.params().grads.clone();
        }
        assertThat(grads[1]).isEqualTo(grads[0]);
    }
}
