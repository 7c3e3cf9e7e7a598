package dev.nnlab.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link GradientTile2x9Transposed} against {@link GradientTile2x9}: the same bits, at every vector width. */
class GradientTile2x9TransposedTest {
    @Test
    void gives_the_bits_of_the_scalar_reduction() {
        int l = VectorWidth.FLOATS.length();
        SplittableRandom r = new SplittableRandom(11);
        for (int vectors : new int[] {1, 2, 7, 80}) {
            int n = vectors * l, fstride = 13;
            for (int dyStride : new int[] {0, n + 3}) {
                float[] dy = random(r, 5 + dyStride + n), x = random(r, 20 + n + 40);
                int[] at = new int[9];
                for (int t = 0; t < 9; t++) at[t] = 3 + 4 * t + r.nextInt(3);
                float[] want = random(r, 40), got = want.clone();
                GradientTile2x9.accumulate(n, dy, 5, dyStride, x, at, want, 2, fstride, new float[GradientTile2x9.sumsLength()]);
                GradientTile2x9Transposed.accumulate(n, dy, 5, dyStride, x, at, got, 2, fstride,
                        new float[GradientTile2x9Transposed.sumsLength()]);
                assertThat(got).as("%d vectors, dy stride %d", vectors, dyStride).containsExactly(want);
            }
        }
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextDouble() * 2 - 1) * (1 + r.nextInt(1000));
        return a;
    }
}
