package dev.nnlab.nn.layers;

import dev.nnlab.kernels.SgemmReference;
import dev.nnlab.kernels.SmallGemm;
import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Sequential;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dense's small-batch kernels (the dot-product path for few outputs, the panel path for many) give
 * the products of the plain definition, step after step of SGD, and {@code backwardParametersOnly}
 * leaves the same parameter gradients as {@code backward}.
 */
class DenseSmallBatchTest {

    @Test
    void five_sgd_steps_match_a_reference_computed_from_the_definitions_for_skinny_and_wide_layers() {
        int l = SmallGemm.lanes();
        // in = 37 is under 3 vectors on 128- to 512-bit SIMD (dX by dot products for a wide layer); 3 l + 3 is
        // over (dX through W^T by rows).
        for (int[] shape : new int[][] {{37, 1}, {37, 10}, {37, 3 * l + 5}, {37, 64}, {3 * l + 3, 3 * l + 5}, {3 * l + 3, 7}}) {
            int in = shape[0], out = shape[1];
            for (int batch : new int[] {1, 7, 64}) {
                Sequential net = LayerGradients.single(new int[] {in}, new Dense(out), 5);
                Parameters p = net.params();
                float[] w = p.value("dense0.weight").toArray(), b = new float[out];
                for (int step = 0; step < 5; step++) {
                    Tensor x = LayerGradients.uniform(100 + step, -1, 1, batch, in);
                    Tensor dy = LayerGradients.uniform(200 + step, -1, 1, batch, out);
                    float[] y = new float[batch * out];
                    SgemmReference.gemm(false, false, batch, out, in, 1f, x.data, 0, in, w, 0, out, 0f, y, 0, out);
                    for (int i = 0; i < batch; i++) for (int j = 0; j < out; j++) y[i * out + j] += b[j];
                    float[] dx = new float[batch * in], dw = new float[in * out], db = new float[out];
                    SgemmReference.gemm(false, true, batch, in, out, 1f, dy.data, 0, out, w, 0, out, 0f, dx, 0, in);
                    SgemmReference.gemm(true, false, in, out, batch, 1f, x.data, 0, in, dy.data, 0, out, 0f, dw, 0, out);
                    for (int i = 0; i < batch; i++) for (int j = 0; j < out; j++) db[j] += dy.data[i * out + j];

                    String what = "in=" + in + " out=" + out + " batch=" + batch + " step " + step;
                    assertClose(net.forward(x, true).toArray(), y, what + " forward");
                    p.zeroGrad();
                    assertClose(net.backward(dy).toArray(), dx, what + " dx");
                    float[] gw = p.grad("dense0.weight").toArray(), gb = p.grad("dense0.bias").toArray();
                    assertClose(gw, dw, what + " dW");
                    assertClose(gb, db, what + " db");
                    p.zeroGrad();
                    net.backwardParameters(dy);
                    assertThat(p.grad("dense0.weight").toArray()).as(what).containsExactly(gw);
                    assertThat(p.grad("dense0.bias").toArray()).as(what).containsExactly(gb);
                    // One SGD step on both copies.
                    for (int k = 0; k < w.length; k++) w[k] -= 0.1f * dw[k];
                    for (int j = 0; j < out; j++) b[j] -= 0.1f * db[j];
                    float[] pw = p.value("dense0.weight").data, pb = p.value("dense0.bias").data;
                    int wo = p.entry("dense0.weight").offset(), bo = p.entry("dense0.bias").offset();
                    for (int k = 0; k < w.length; k++) pw[wo + k] -= 0.1f * gw[k];
                    for (int j = 0; j < out; j++) pb[bo + j] -= 0.1f * gb[j];
                }
            }
        }
    }

    @Test
    void backward_parameters_of_a_network_leaves_exactly_the_gradients_of_the_full_backward() {
        Sequential net = new Sequential(new int[] {30}, new Dense(40), new ReLU(), new Dense(24), new ReLU(), new Dense(10))
                .initialize(new dev.nnlab.tensor.Rng(3));
        Parameters p = net.params();
        Tensor x = LayerGradients.uniform(9, -1, 1, 64, 30), dy = LayerGradients.uniform(10, -1, 1, 64, 10);
        net.forward(x, true);
        p.zeroGrad();
        net.backward(dy);
        float[] full = p.grads.clone();
        p.zeroGrad();
        net.backwardParameters(dy);
        assertThat(p.grads).containsExactly(full);
        assertThat(full).as("the gradients are not all zero").isNotEqualTo(new float[full.length]);
    }

    private static void assertClose(float[] actual, float[] expected, String what) {
        assertThat(actual.length).as(what).isEqualTo(expected.length);
        for (int i = 0; i < actual.length; i++) {
            if (Math.abs(actual[i] - expected[i]) > 1e-4f * (1 + Math.abs(expected[i]))) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]);
            }
        }
    }
}
