package dev.nnlab.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link GradientTile2x9} against a lane-by-lane scalar reference: each lane's fused multiply-adds in the tile's order,
 * then the lanes summed by {@link LaneMath#sumStored}'s tree. The bits must be the same at every vector width.
 */
class GradientTile2x9Test {
    @Test
    void gives_the_bits_of_lane_by_lane_sums_reduced_by_the_fixed_tree() {
        int l = VectorWidth.FLOATS.length();
        SplittableRandom r = new SplittableRandom(11);
        for (int vectors : new int[] {1, 2, 7, 80}) {
            int n = vectors * l, fstride = 13;
            for (int dyStride : new int[] {0, n + 3}) {
                float[] dy = random(r, 5 + dyStride + n), x = random(r, 20 + n + 40);
                int[] at = new int[9];
                for (int t = 0; t < 9; t++) at[t] = 3 + 4 * t + r.nextInt(3);
                float[] want = random(r, 40), got = want.clone();
                GradientTile2x9.accumulate(n, dy, 5, dyStride, x, at, got, 2, fstride, new float[GradientTile2x9.sumsLength()]);
                for (int f = 0; f < 2; f++) {
                    for (int t = 0; t < 9; t++) {
                        float[] lanes = new float[l];
                        for (int q = 0; q < n; q += l) {
                            for (int i = 0; i < l; i++) lanes[i] = Math.fma(x[at[t] + q + i], dy[5 + f * dyStride + q + i], lanes[i]);
                        }
                        want[2 + f * fstride + t] += LaneMath.sumStored(lanes, 0);
                    }
                }
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
