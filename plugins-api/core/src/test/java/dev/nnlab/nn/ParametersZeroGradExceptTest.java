package dev.nnlab.nn;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParametersZeroGradExceptTest {

    private static Parameters build(boolean sparse) {
        Parameters.Builder b = Parameters.builder();
        b.add("a.weight", 3, 2);
        if (sparse) b.addRowSparse("emb.table", 4, 2);
        b.add("d.weight", 2, 5);
        b.add("d.bias", 5);
        b.add("z", 3);
        return b.build();
    }

    @Test
    void zero_grad_clears_every_gradient_when_the_clearing_is_split_across_threads() {
        Parameters.Builder b = Parameters.builder();
        b.add("h.weight", 3 * Parameters.ZERO_GRAIN + 5, 1);
        b.add("h.bias", 7);
        Parameters p = b.build();
        for (int threads : new int[] {1, 2, 3}) {
            dev.nnlab.kernels.Parallelism.setThreads(threads);
            try {
                Arrays.fill(p.grads, 7f);
                p.zeroGrad();
                for (int i = 0; i < p.grads.length; i++) {
                    if (p.grads[i] != 0f) throw new AssertionError("grads[" + i + "] = " + p.grads[i] + " on " + threads + " threads");
                }
            } finally {
                dev.nnlab.kernels.Parallelism.setThreads(Runtime.getRuntime().availableProcessors());
            }
        }
    }

    @Test
    void leaves_the_named_entries_and_zeroes_the_rest_dense_or_row_sparse() {
        for (boolean sparse : new boolean[] {false, true}) {
            Parameters p = build(sparse);
            Arrays.fill(p.grads, 7f);
            if (sparse) {
                // Only touched rows may hold gradient: keep that invariant, touch row 2.
                Parameters.Entry e = p.entry("emb.table");
                Arrays.fill(p.grads, e.offset(), e.offset() + e.size(), 0f);
                Arrays.fill(p.grads, e.offset() + 4, e.offset() + 6, 7f);
                p.touchedRows(e).touch(2);
            }
            p.zeroGradExcept(Set.of("d.weight", "d.bias"));
            for (Parameters.Entry e : p.entries()) {
                float want = e.name().startsWith("d.") ? 7f : 0f;
                for (int i = 0; i < e.size(); i++) {
                    assertThat(p.grads[e.offset() + i]).as(e.name() + "[" + i + "] sparse=" + sparse).isEqualTo(want);
                }
            }
            if (sparse) assertThat(p.touchedRows(p.entry("emb.table")).count()).isZero();
        }
    }

    @Test
    void an_entry_at_either_end_and_none_at_all() {
        Parameters p = build(false);
        Arrays.fill(p.grads, 7f);
        p.zeroGradExcept(Set.of("a.weight", "z"));
        float[] want = new float[p.grads.length];
        Arrays.fill(want, 0, 6, 7f);
        Arrays.fill(want, want.length - 3, want.length, 7f);
        assertThat(p.grads).isEqualTo(want);
        p.zeroGradExcept(Set.of());
        assertThat(p.grads).isEqualTo(new float[p.grads.length]);
    }

    @Test
    void refuses_a_row_sparse_or_unknown_entry() {
        Parameters p = build(true);
        assertThatThrownBy(() -> p.zeroGradExcept(Set.of("emb.table"))).hasMessageContaining("emb.table is row-sparse");
        assertThatThrownBy(() -> p.zeroGradExcept(Set.of("nope"))).hasMessageContaining("no parameter named nope");
    }
}
