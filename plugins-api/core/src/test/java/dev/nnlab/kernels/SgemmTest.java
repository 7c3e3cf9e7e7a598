package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

class SgemmTest {
    /** Every vector width, each with its own micro-kernel class, side by side in one JVM. */
    private static final List<BlockedGemm> WIDTHS = List.of(
            new BlockedGemm(MicroKernel.forSpecies(FloatVector.SPECIES_512)),
            new BlockedGemm(MicroKernel.forSpecies(FloatVector.SPECIES_256)),
            new BlockedGemm(MicroKernel.forSpecies(FloatVector.SPECIES_128)),
            // Tiny blocks: small products cross many KC, MC and NC edges (k = 7 is 3 slices of 3, 3, 1).
            new BlockedGemm(MicroKernel.forSpecies(FloatVector.SPECIES_256), 3, 12, 32),
            // ... and a row split's shared op(B) block capped at 48 columns (3 panels: uneven between tasks).
            new BlockedGemm(MicroKernel.forSpecies(FloatVector.SPECIES_256), 3, 12, 32, 0, 3 * 48));

    private static final boolean[] BOOLS = {false, true};

    /** One product: sizes, transposes, scalars, and the padding of the sub-matrix views. */
    private record Case(int m, int n, int k, boolean transA, boolean transB, float alpha, float beta, int pad) {
        int lda() { return (transA ? m : k) + pad; }
        int ldb() { return (transB ? k : n) + pad; }
        int ldc() { return n + pad; }
        int off() { return pad * 3; }
        int aLen() { return off() + (transA ? k : m) * lda(); }
        int bLen() { return off() + (transB ? n : k) * ldb(); }
        int cLen() { return off() + m * ldc(); }
    }

    private static List<int[]> awkwardShapes() {
        List<int[]> shapes = new ArrayList<>(List.of(
                new int[] {1, 1, 1}, new int[] {1, 97, 33}, new int[] {97, 1, 33}, new int[] {40, 50, 1},
                new int[] {1, 1, 300}, new int[] {5, 7, 3},
                // Around the micro-tile sizes (MR = 12/6, NR = 32/16/8):
                new int[] {11, 31, 9}, new int[] {12, 32, 16}, new int[] {13, 33, 17}, new int[] {25, 65, 8},
                new int[] {6, 16, 4}, new int[] {7, 17, 5}, new int[] {24, 64, 2},
                // Around KC = 1024, MC = 96 and NC = 1024 (512 before):
                new int[] {3, 5, 1023}, new int[] {2, 3, 1024}, new int[] {5, 33, 1025}, new int[] {1, 2, 2049},
                new int[] {95, 20, 7}, new int[] {96, 33, 3}, new int[] {97, 31, 6}, new int[] {193, 9, 5},
                new int[] {3, 511, 3}, new int[] {2, 513, 4}, new int[] {13, 1025, 2}, new int[] {5, 1024, 3}, new int[] {3, 1023, 2},
                // Around the in-place bound on A (16 panels of B, at most 256 columns: n = 128/256/256):
                new int[] {13, 256, 9}, new int[] {13, 257, 9}, new int[] {25, 512, 3}, new int[] {25, 513, 3},
                new int[] {1, 600, 5}, new int[] {600, 1, 5}, new int[] {25, 300, 1}, new int[] {64, 10, 78}));
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < 8; i++) shapes.add(new int[] {r.nextInt(1, 50), r.nextInt(1, 50), r.nextInt(1, 50)});
        return shapes;
    }

    @Test
    void matches_reference_on_awkward_shapes_for_every_transpose_alpha_beta_and_width() {
        float[][] scalars = {{1f, 0f}, {-0.75f, 1f}, {2.5f, 0.5f}};
        int i = 0;
        for (int[] s : awkwardShapes()) {
            for (boolean ta : BOOLS) {
                for (boolean tb : BOOLS) {
                    float[] ab = scalars[i++ % scalars.length];
                    check(new Case(s[0], s[1], s[2], ta, tb, ab[0], ab[1], i % 3 == 0 ? 0 : 1 + i % 5), 1);
                }
            }
        }
    }

    @Test
    void beta_zero_overwrites_nan_filled_c_without_reading_it() {
        for (boolean ta : BOOLS) {
            for (boolean tb : BOOLS) {
                check(new Case(29, 45, 19, ta, tb, 1.5f, 0f, 2), 1);
                check(new Case(12, 32, 5, ta, tb, 1f, 0f, 0), 1);
            }
        }
    }

    @Test
    void two_threads_match_one_thread_within_rounding() {
        for (boolean ta : BOOLS) {
            for (boolean tb : BOOLS) {
                Case wide = new Case(70, 301, 120, ta, tb, 0.5f, 0.5f, 3);
                Case tall = new Case(290, 45, 170, ta, tb, 1f, 1f, 0);
                for (Case c : List.of(wide, tall)) {
                    assertThat(2.0 * c.m() * c.n() * c.k()).isGreaterThan(BlockedGemm.PARALLEL_MIN_FLOPS);
                    check(c, 2);
                }
            }
        }
    }

    @Test
    void row_split_sharing_one_packed_b_matches_the_reference_on_two_and_three_tasks() {
        for (boolean ta : BOOLS) {
            for (boolean tb : BOOLS) {
                // Tall: at 256 bits the tasks split rows; on the last instance of WIDTHS (no lower bound on
                // the shared block) they share one packed op(B) and claim row chunks, on the others each
                // packs its own. (A row-major A narrow enough to be read in place splits columns instead:
                // the tiny blocks' NC = 32 when A is not transposed.)
                Case tall = new Case(1400, 530, 4, ta, tb, -1.25f, 1f, 1);
                for (BlockedGemm g : WIDTHS) {
                    if (g.kernel().species().vectorBitSize() != 256 || !ta && g.ncBlock() < BlockedGemm.NC) continue;
                    assertThat(g.splitColumns(ta, tb, tall.m(), tall.n(), 2)).as("%s splits rows", g).isFalse();
                }
                // Rows in fewer micro-panels than chunks, k over several slices of the tiny blocks, beta = 0.
                Case fewRows = new Case(13, 40, 4100, ta, tb, 0.5f, 0f, 0);
                for (Case c : List.of(tall, fewRows)) {
                    assertThat(2.0 * c.m() * c.n() * c.k()).isGreaterThan(BlockedGemm.PARALLEL_MIN_FLOPS);
                    check(c, 2);
                    check(c, 3);
                }
            }
        }
    }

    @Test
    void a_row_split_gives_the_same_bits_on_one_two_and_three_threads() {
        // Which thread computes which rows, and how the rows were claimed, must change no sum: every
        // element is one micro-kernel's sum over the same k slices in the same order.
        BlockedGemm full = new BlockedGemm(MicroKernel.forSpecies(FloatVector.SPECIES_256));
        BlockedGemm tiny = WIDTHS.getLast();
        SplittableRandom r = new SplittableRandom(11);
        for (boolean ta : BOOLS) {
            for (boolean tb : BOOLS) {
                // 1,999 rows (not a whole number of 6-row panels), op(B) 520 x 520: over the 1 MB of the shared block.
                Case big = new Case(1999, 520, 520, ta, tb, 0.75f, 0.5f, 1);
                assertThat((long) big.n() * big.k()).isGreaterThanOrEqualTo(BlockedGemm.SHARED_B_MIN_FLOATS);
                assertThat(full.splitColumns(ta, tb, big.m(), big.n(), 2)).isFalse();
                Case small = new Case(301, 70, 130, ta, tb, -1f, 1f, 2);
                for (BlockedGemm g : List.of(full, tiny)) {
                    Case cs = g == full ? big : small;
                    float[] a = random(r, cs.aLen()), b = random(r, cs.bLen()), c0 = random(r, cs.cLen());
                    float[] one = null;
                    for (int threads = 1; threads <= 3; threads++) {
                        float[] c = c0.clone();
                        g.gemm(threads, ta, tb, cs.m(), cs.n(), cs.k(), cs.alpha(), a, cs.off(), cs.lda(), b, cs.off(),
                                cs.ldb(), cs.beta(), c, cs.off(), cs.ldc());
                        if (one == null) one = c;
                        else assertThat(c).as("%s, %s, %d threads", g, cs, threads).isEqualTo(one);
                    }
                }
            }
        }
    }

    @Test
    void a_read_in_place_and_a_packed_both_match_the_reference() {
        boolean packedSomewhere = false;
        for (BlockedGemm g : WIDTHS) {
            int edge = g.directMaxPanels() * g.kernel().nr();
            assertThat(edge).as("%s", g).isLessThanOrEqualTo(BlockedGemm.DIRECT_A_MAX_COLUMNS);
            assertThat(g.readsARows(false, edge)).as("%s, n = %d", g, edge).isTrue();
            assertThat(g.readsARows(true, edge)).as("%s, A transposed", g).isFalse();
            // Past the edge A is packed, unless the NC block is narrower than the edge.
            assertThat(g.readsARows(false, edge + 1)).as("%s, n = %d", g, edge + 1).isEqualTo(g.ncBlock() <= edge);
            packedSomewhere |= !g.readsARows(false, 513);
        }
        assertThat(packedSomewhere).isTrue();
        // A large square product packs A at every width: read in place, 12 rows of a power-of-two row
        // length thrash one L1 set (at 512 bits they once were, for every NN product: 13% slower at 1024^3).
        for (BlockedGemm g : WIDTHS.subList(0, 3)) assertThat(g.readsARows(false, 1024)).as("%s", g).isFalse();
        for (boolean tb : BOOLS) {
            for (int n : new int[] {127, 128, 129, 255, 256, 257, 511, 512, 513}) {
                check(new Case(2 * 12 + 5, n, 11, false, tb, 1f, 0f, 1), 1);
                check(new Case(12 + 7, n, 6, false, tb, -0.5f, 1f, 0), 1);
            }
        }
    }

    @Test
    void accumulating_over_several_k_slices_matches_the_reference() {
        // beta = 1 from the caller and beta = 1 between KC slices; k = 2 KC + 1 on the tiny blocks too.
        for (boolean ta : BOOLS) {
            for (boolean tb : BOOLS) {
                check(new Case(19, 37, 2049, ta, tb, 1f, 1f, 2), 1);
                check(new Case(8, 40, 7, ta, tb, 1f, 1f, 0), 1);
            }
        }
    }

    @Test
    void vector_width_accessor_names_the_width_the_default_kernel_runs() {
        int bits = VectorWidth.bits();
        if (BlockedGemm.DEFAULT == null) {
            assertThat(bits).isZero();
        } else {
            assertThat(bits).isIn(128, 256, 512)
                    .isEqualTo(BlockedGemm.DEFAULT.kernel().species().vectorBitSize());
        }
    }

    @Test
    void hand_computed_two_by_two_product_with_alpha_and_beta() {
        float[] a = {1, 2, 3, 4};        // (2, 2)
        float[] b = {5, 6, 7, 8};        // (2, 2)
        float[] c = {1, 1, 1, 1};
        // A B = [[19, 22], [43, 50]]; 2 * A B + 3 * C
        Sgemm.gemm(false, false, 2, 2, 2, 2f, a, 0, 2, b, 0, 2, 3f, c, 0, 2);
        assertThat(c).containsExactly(41f, 47f, 89f, 103f);
        // A^T B^T = (B A)^T = [[23, 31], [34, 46]]
        Sgemm.gemm(true, true, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2);
        assertThat(c).containsExactly(23f, 31f, 34f, 46f);
    }

    @Test
    void zero_k_or_zero_alpha_scales_c_by_beta_without_reading_a_or_b() {
        float[] nan = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        float[] c = {1, 2, 3, 4};
        Sgemm.gemm(false, false, 2, 2, 0, 1f, nan, 0, 0, nan, 0, 2, 0.5f, c, 0, 2);
        assertThat(c).containsExactly(0.5f, 1f, 1.5f, 2f);
        Sgemm.gemm(false, true, 2, 2, 2, 0f, nan, 0, 2, nan, 0, 2, 2f, c, 0, 2);
        assertThat(c).containsExactly(1f, 2f, 3f, 4f);
        Sgemm.gemm(false, false, 2, 2, 2, 0f, nan, 0, 2, nan, 0, 2, 0f, nan, 0, 2);
        assertThat(nan).containsOnly(0f);
    }

    @Test
    void rejects_a_leading_dimension_shorter_than_a_stored_row() {
        float[] x = new float[64];
        assertThatThrownBy(() -> Sgemm.gemm(false, false, 4, 4, 4, 1f, x, 0, 3, x, 0, 4, 0f, x, 0, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lda=3");
        assertThatThrownBy(() -> Sgemm.gemm(false, true, 4, 5, 4, 1f, x, 0, 4, x, 0, 3, 0f, x, 0, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ldb=3");
        assertThatThrownBy(() -> Sgemm.gemm(false, false, -1, 4, 4, 1f, x, 0, 4, x, 0, 4, 0f, x, 0, 4))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Runs {@code cs} on every width (and through {@link Sgemm}) with {@code threads} threads and
     * compares with {@link SgemmReference}. Elements of the arrays outside the views must not change.
     */
    private static void check(Case cs, int threads) {
        SplittableRandom r = new SplittableRandom(cs.hashCode());
        float[] a = random(r, cs.aLen()), b = random(r, cs.bLen()), c0 = random(r, cs.cLen());
        if (cs.beta() == 0f) fillViewWithNaN(c0, cs);
        float[] expected = c0.clone();
        SgemmReference.gemm(cs.transA(), cs.transB(), cs.m(), cs.n(), cs.k(), cs.alpha(), a, cs.off(), cs.lda(),
                b, cs.off(), cs.ldb(), cs.beta(), expected, cs.off(), cs.ldc());
        // Float accumulation in a different order: error grows with k; inputs are in [-1, 1].
        double tol = 2e-6 * (cs.k() + 4) * (Math.abs(cs.alpha()) + Math.abs(cs.beta()));
        for (BlockedGemm g : WIDTHS) {
            float[] c = c0.clone();
            g.gemm(threads, cs.transA(), cs.transB(), cs.m(), cs.n(), cs.k(), cs.alpha(), a, cs.off(), cs.lda(),
                    b, cs.off(), cs.ldb(), cs.beta(), c, cs.off(), cs.ldc());
            compare(cs, g + ", " + threads + " threads", expected, c, tol);
        }
        float[] c = c0.clone();
        Sgemm.gemm(cs.transA(), cs.transB(), cs.m(), cs.n(), cs.k(), cs.alpha(), a, cs.off(), cs.lda(),
                b, cs.off(), cs.ldb(), cs.beta(), c, cs.off(), cs.ldc());
        compare(cs, "Sgemm.gemm", expected, c, tol);
    }

    private static void compare(Case cs, String how, float[] expected, float[] actual, double tol) {
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i], x = actual[i];
            boolean same = Float.isNaN(e) ? Float.isNaN(x) : Math.abs(e - x) <= tol;
            if (!same) fail("%s, %s: element %d expected %s but was %s (tol %.2e)", cs, how, i, e, x, tol);
        }
    }

    private static void fillViewWithNaN(float[] c, Case cs) {
        for (int i = 0; i < cs.m(); i++) {
            int row = cs.off() + i * cs.ldc();
            Arrays.fill(c, row, row + cs.n(), Float.NaN);
        }
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextDouble(-1, 1);
        return x;
    }
}
