package dev.nnlab.nn.layers;

import dev.nnlab.kernels.Sgemm;
import dev.nnlab.kernels.SgemmReference;
import dev.nnlab.kernels.SmallGemm;
import dev.nnlab.tensor.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layers' products against the scalar reference, on shapes either side of the width where the
 * GEMM reads a row-major A in place (then {@link RowMajorProducts} skips its transpose), with
 * offsets, leading dimensions wider than a row, and tails that fill no whole vector or tile.
 */
class RowMajorProductsTest {

    @ParameterizedTest
    @CsvSource({"1, 1, 1", "1, 37, 5", "37, 1, 5", "7, 13, 203", "20, 200, 800", "23, 257, 31", "401, 203, 67", "5, 530, 9", "3, 1000, 2"})
    void ab_and_abT_match_the_reference(int m, int n, int k) {
        Rng rng = new Rng(m * 1_000_003L + n * 1009L + k);
        int lda = k + 3, ldb = n + 2, ldbT = k + 1, ldc = n + 5, off = 7;
        float[] a = random(rng, off + m * lda), b = random(rng, off + k * ldb), bt = random(rng, off + n * ldbT);
        for (float beta : new float[] {0f, 1f}) {
            float[] c = random(rng, off + m * ldc), want = c.clone();
            new RowMajorProducts().ab(m, n, k, a, off, lda, b, off, ldb, beta, c, off, ldc);
            SgemmReference.gemm(false, false, m, n, k, 1f, a, off, lda, b, off, ldb, beta, want, off, ldc);
            assertClose(c, want, k, "ab " + m + "x" + n + "x" + k + " beta " + beta + " (A in place: " + Sgemm.readsRowMajorAInPlace(n) + ")");
            float[] c2 = random(rng, off + m * ldc), want2 = c2.clone();
            new RowMajorProducts().abT(m, n, k, a, off, lda, bt, off, ldbT, beta, c2, off, ldc);
            SgemmReference.gemm(false, true, m, n, k, 1f, a, off, lda, bt, off, ldbT, beta, want2, off, ldc);
            assertClose(c2, want2, k, "abT " + m + "x" + n + "x" + k + " beta " + beta);
        }
    }

    /** The recurrent layers' per-step products now run on {@link SmallGemm#panel} with A read at a step's stride. */
    @ParameterizedTest
    @CsvSource({"1, 1, 1", "20, 800, 200", "20, 200, 800", "3, 17, 9", "7, 41, 3"})
    void the_per_step_panel_product_at_a_step_stride_matches_the_reference(int n, int width, int hidden) {
        Rng rng = new Rng(n + 31L * width + 7L * hidden);
        int steps = 3, t = 1;
        float[] prev = random(rng, n * steps * hidden), w = random(rng, hidden * width);
        float[] out = random(rng, n * steps * width), want = out.clone();
        SmallGemm.panel(n, width, hidden, prev, t * hidden, steps * hidden, 1, w, 0, width, true, null, 0, out, t * width, steps * width);
        SgemmReference.gemm(false, false, n, width, hidden, 1f, prev, t * hidden, steps * hidden, w, 0, width, 1f, want, t * width, steps * width);
        assertClose(out, want, hidden, "panel " + n + "x" + width + "x" + hidden);
    }

    private static void assertClose(float[] got, float[] want, int k, String what) {
        float tol = 1e-5f * (float) Math.sqrt(k) * 4;
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).as("%s at %d", what, i).isCloseTo(want[i], org.assertj.core.api.Assertions.within(tol + 1e-5f * Math.abs(want[i])));
        }
    }

    private static float[] random(Rng rng, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) (rng.nextDouble() - 0.5);
        return x;
    }
}
