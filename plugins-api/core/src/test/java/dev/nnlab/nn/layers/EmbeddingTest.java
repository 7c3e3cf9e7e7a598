package dev.nnlab.nn.layers;

import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Sequential;
import dev.nnlab.optim.Adagrad;
import dev.nnlab.optim.Adam;
import dev.nnlab.optim.GroupedOptimizer;
import dev.nnlab.optim.GradientClipping;
import dev.nnlab.optim.Sgd;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;
import dev.nnlab.testing.GradientCheck;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EmbeddingTest {

    private static Tensor ids(int n, int t, int... values) {
        float[] f = new float[values.length];
        for (int i = 0; i < values.length; i++) f[i] = values[i];
        return Tensor.of(f, n, t);
    }

    @Test
    void forward_looks_up_the_row_of_each_id() {
        Sequential net = LayerGradients.single(new int[] {3}, new Embedding(4, 2), 1);
        Tensor table = net.params().value("embedding0.weight");
        Tensor y = net.forward(ids(2, 3, 3, 0, 3, 1, 1, 2), true);
        assertThat(y.shape()).containsExactly(2, 3, 2);
        int[] expected = {3, 0, 3, 1, 1, 2};
        for (int p = 0; p < 6; p++) {
            for (int k = 0; k < 2; k++) assertThat(y.at(p * 2 + k)).isEqualTo(table.get(expected[p], k));
        }
    }

    @Test
    void the_table_gradient_passes_the_gradient_check_with_repeated_ids() {
        Sequential net = LayerGradients.single(new int[] {4}, new Embedding(7, 3), 2);
        Tensor x = ids(2, 4, 5, 1, 5, 0, 6, 5, 2, 1);
        Tensor y = net.forward(x, true);
        float[] r = LayerGradients.uniform(9, -1, 1, y.size()).data;
        Parameters p = net.params();
        p.zeroGrad();
        Tensor dx = net.backward(Tensor.of(r.clone(), y.shape()));
        assertThat(dx.shape()).containsExactly(2, 4);
        assertThat(dx.toArray()).containsOnly(0f);
        Tensor grad = p.grad("embedding0.weight").copy();
        // Row 5 is looked up three times: its gradient is the sum of three dy rows.
        assertThat(grad.get(5, 0)).isCloseTo(r[0] + r[2 * 3] + r[5 * 3], within(1e-6f));
        GradientCheck.check("dL/dtable", () -> GradientCheck.weightedSum(net.forward(x, true), r), p.value("embedding0.weight"), grad);
        assertThat(p.touchedRows(p.entry("embedding0.weight")).count()).isEqualTo(5);
    }

    /** A vocab x 8 table; one step on ids {7, 3, 7, 42}; returns the table values after the step. */
    private record Step(Parameters params, GroupedOptimizer optimizer, float[] before) {}

    private static Step step(int vocab, Function<Parameters, GroupedOptimizer> optimizer, boolean strayGradient) {
        Sequential net = LayerGradients.single(new int[] {4}, new Embedding(vocab, 8), 3);
        Parameters p = net.params();
        GroupedOptimizer opt = optimizer.apply(p);
        float[] before = p.values.clone();
        p.zeroGrad();
        Tensor y = net.forward(ids(1, 4, 7, 3, 7, 42), true);
        net.backward(LayerGradients.uniform(4, -1, 1, y.shape()));
        // A gradient on an untouched row breaks the invariant on purpose: a step that read the dense
        // gradient would apply it, a step over the touched rows never sees it.
        if (strayGradient) p.grads[p.entry("embedding0.weight").offset() + 5 * 8] = 1000f;
        opt.step();
        return new Step(p, opt, before);
    }

    @Test
    void sgd_adagrad_and_adam_step_only_the_touched_rows_and_the_cost_does_not_grow_with_the_vocabulary() {
        List<Function<Parameters, GroupedOptimizer>> optimizers = List.of(
                p -> new Sgd(p, 0.1f), p -> new Adagrad(p, 0.1f), p -> new Adam(p, 0.1f),
                p -> new Sgd(p, List.of(), 0.1f, 0.9f, true, 0.01f));
        for (Function<Parameters, GroupedOptimizer> make : optimizers) {
            Step small = step(100, make, true);
            Step large = step(10_000, make, true);
            String kind = small.optimizer().kind();
            // Three distinct rows of 8: the same 24 values whatever the vocabulary.
            assertThat(small.optimizer().lastStepSize()).as(kind).isEqualTo(24);
            assertThat(large.optimizer().lastStepSize()).as(kind).isEqualTo(24);
            Parameters p = large.params();
            int off = p.entry("embedding0.weight").offset();
            for (int row = 0; row < 10_000; row++) {
                boolean touched = row == 3 || row == 7 || row == 42;
                for (int k = 0; k < 8; k++) {
                    float now = p.values[off + row * 8 + k], was = large.before()[off + row * 8 + k];
                    if (touched) assertThat(now).as("%s row %d", kind, row).isNotEqualTo(was);
                    else if (now != was) throw new AssertionError(kind + ": untouched row " + row + " changed");
                }
            }
        }
    }

    @Test
    void sparse_steps_equal_dense_steps_for_sgd_and_adagrad() {
        for (boolean adagrad : new boolean[] {false, true}) {
            Sequential net = LayerGradients.single(new int[] {3}, new Embedding(20, 4), 5);
            Parameters sparse = net.params();
            Parameters.Builder b = Parameters.builder();
            b.add("embedding0.weight", 20, 4);
            Parameters dense = b.build();
            System.arraycopy(sparse.values, 0, dense.values, 0, sparse.size());
            GroupedOptimizer s = adagrad ? new Adagrad(sparse, 0.5f) : new Sgd(sparse, 0.5f);
            GroupedOptimizer d = adagrad ? new Adagrad(dense, 0.5f) : new Sgd(dense, 0.5f);
            for (int t = 0; t < 3; t++) {
                sparse.zeroGrad();
                dense.zeroGrad();
                Tensor y = net.forward(ids(2, 3, t, 4, 9, 4, 17, t + 1), true);
                net.backward(LayerGradients.uniform(t, -1, 1, y.shape()));
                System.arraycopy(sparse.grads, 0, dense.grads, 0, sparse.size());
                s.step();
                d.step();
            }
            assertThat(sparse.values).as(adagrad ? "adagrad" : "sgd").containsExactly(dense.values);
            assertThat(d.lastStepSize()).isEqualTo(80);
            // The last batch looks up rows 2, 4, 9, 17, 3 (4 twice).
            assertThat(s.lastStepSize()).isEqualTo(5 * 4);
        }
    }

    @Test
    void zeroing_and_clipping_visit_only_the_touched_rows() {
        Sequential net = LayerGradients.single(new int[] {2}, new Embedding(50, 3), 6);
        Parameters p = net.params();
        Tensor y = net.forward(ids(1, 2, 4, 9), true);
        p.zeroGrad();
        net.backward(LayerGradients.uniform(7, -1, 1, y.shape()));
        int off = p.entry("embedding0.weight").offset();
        double expected = 0;
        for (int row : new int[] {4, 9}) for (int k = 0; k < 3; k++) expected += Math.pow(p.grads[off + row * 3 + k], 2);
        p.grads[off + 20 * 3] = 7f; // stray: not a touched row, so neither the norm nor zeroing may see it
        assertThat((double) GradientClipping.globalGradNorm(p)).isCloseTo(Math.sqrt(expected), within(1e-5));
        p.zeroGrad();
        assertThat(p.grads[off + 4 * 3]).isZero();
        assertThat(p.grads[off + 9 * 3 + 2]).isZero();
        assertThat(p.grads[off + 20 * 3]).as("untouched rows are not written by zeroGrad").isEqualTo(7f);
        assertThat(p.touchedRows(p.entry("embedding0.weight")).count()).isZero();
    }

    @Test
    void backward_adds_into_the_gradient_and_a_batch_of_another_size_gets_its_own_buffers() {
        Sequential net = LayerGradients.single(new int[] {2}, new Embedding(6, 3), 8);
        Parameters p = net.params();
        Tensor y = net.forward(ids(2, 2, 1, 4, 4, 0), true);
        Tensor dy = LayerGradients.uniform(3, -1, 1, y.shape());
        p.zeroGrad();
        net.backward(dy);
        float[] once = p.grads.clone();
        net.backward(dy);
        for (int i = 0; i < once.length; i++) assertThat(p.grads[i]).isCloseTo(2 * once[i], within(1e-6f));
        Tensor y3 = net.forward(ids(3, 2, 5, 5, 5, 5, 5, 5), true);
        assertThat(y3).isNotSameAs(y);
        assertThat(net.backward(LayerGradients.uniform(4, -1, 1, y3.shape())).shape()).containsExactly(3, 2);
    }

    @Test
    void an_id_that_is_not_a_row_is_refused_with_its_position() {
        Sequential net = LayerGradients.single(new int[] {3}, new Embedding(5, 2), 1);
        assertThatThrownBy(() -> net.forward(ids(1, 3, 0, 5, 1), true))
                .hasMessage("embedding0: id 5.0 at position 1 is not a whole number in [0, 5)");
        assertThatThrownBy(() -> net.forward(Tensor.of(new float[] {0.5f, 1, 2}, 1, 3), true))
                .hasMessageContaining("id 0.5 at position 0");
    }
}
