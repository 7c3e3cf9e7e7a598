package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

class WideGemmTest {
    private static final List<MicroKernel> KERNELS = List.of(MicroKernel.forSpecies(FloatVector.SPECIES_512),
            MicroKernel.forSpecies(FloatVector.SPECIES_256), MicroKernel.forSpecies(FloatVector.SPECIES_128));

    /** m, n, k: 1xN, Nx1, k = 1, partial micro-tiles, and across the small test blocks (nc 40, mc 13). */
    private static final int[][] SHAPES = {
            {1, 1, 1}, {1, 97, 33}, {97, 1, 33}, {40, 50, 1}, {1, 1, 300}, {5, 7, 3}, {11, 31, 9}, {12, 32, 16},
            {13, 33, 17}, {6, 16, 4}, {7, 17, 5}, {25, 65, 8}, {30, 81, 12}, {2, 513, 4}, {37, 200, 40}};

    @Test
    void matches_the_scalar_reference_for_both_layouts_of_a_overwriting_and_accumulating() {
        SplittableRandom r = new SplittableRandom(7);
        for (MicroKernel kernel : KERNELS) {
            for (int[] s : SHAPES) {
                for (boolean transA : new boolean[] {false, true}) {
                    for (boolean accumulate : new boolean[] {false, true}) {
                        // Default blocks on one thread; small blocks split over two threads cross every block edge.
                        check(r, kernel, 1, WideGemm.NC, BlockedGemm.MC, s[0], s[1], s[2], transA, accumulate);
                        check(r, kernel, 2, 40, 13, s[0], s[1], s[2], transA, accumulate);
                    }
                }
            }
        }
    }

    @Test
    void public_entry_matches_the_reference_on_a_decoder_shape_and_falls_back_beyond_its_limits() {
        SplittableRandom r = new SplittableRandom(3);
        // The W5 decoder's dW (200 x 1,000 here) with 2 threads, and a k beyond MAX_K (the blocked GEMM's path).
        for (int[] s : new int[][] {{200, 1000, 40}, {9, 20, WideGemm.MAX_K + 3}, {600, 17, 500}}) {
            for (boolean accumulate : new boolean[] {false, true}) {
                check(r, null, 0, 0, 0, s[0], s[1], s[2], true, accumulate);
                check(r, null, 0, 0, 0, s[0], s[1], s[2], false, accumulate);
            }
        }
    }

    @Test
    void overwriting_does_not_read_c() {
        float[] a = {1, 2, 3, 4}, b = {5, 6, 7, 8};
        float[] c = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        WideGemm.gemm(false, 2, 2, 2, a, 0, 2, b, 0, 2, false, c, 0, 2);
        assertThat(c).containsExactly(19, 22, 43, 50);
    }

    /** kernel null: the public entry point. Operands sit at offsets inside padded rows (lda, ldb, ldc > width). */
    private static void check(SplittableRandom r, MicroKernel kernel, int threads, int nc, int mc, int m, int n, int k,
                              boolean transA, boolean accumulate) {
        int pad = 3, off = 5;
        int lda = (transA ? m : k) + pad, ldb = n + pad, ldc = n + pad;
        float[] a = random(r, off + (transA ? k : m) * lda), b = random(r, off + k * ldb), c = random(r, off + m * ldc);
        float[] expected = c.clone();
        SgemmReference.gemm(transA, false, m, n, k, 1f, a, off, lda, b, off, ldb, accumulate ? 1f : 0f, expected, off, ldc);
        if (kernel == null) {
            WideGemm.gemm(transA, m, n, k, a, off, lda, b, off, ldb, accumulate, c, off, ldc);
        } else {
            WideGemm.gemm(kernel, threads, nc, mc, transA, m, n, k, a, off, lda, b, off, ldb, accumulate, c, off, ldc);
        }
        for (int i = 0; i < c.length; i++) {
            float tol = 1e-4f * (1 + Math.abs(expected[i])) * (float) Math.sqrt(k);
            if (!(Math.abs(c[i] - expected[i]) <= tol)) {
                fail("kernel %s threads %d blocks %d/%d m=%d n=%d k=%d transA=%s accumulate=%s: c[%d] = %s, expected %s",
                        kernel == null ? "default" : kernel.species(), threads, nc, mc, m, n, k, transA, accumulate, i, c[i], expected[i]);
            }
        }
    }

    private static float[] random(SplittableRandom r, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) r.nextDouble(-1, 1);
        return x;
    }
}
