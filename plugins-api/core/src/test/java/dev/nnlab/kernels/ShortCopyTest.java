package dev.nnlab.kernels;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ShortCopyTest {
    private static final int L = VectorWidth.FLOATS.length();

    /** Every length from 0 past the vector limit, at offsets that are not vector-aligned: only [d, d + len) changes. */
    @Test
    void copies_exactly_the_run_and_nothing_around_it() {
        Random r = new Random(7);
        float[] src = new float[300];
        for (int i = 0; i < src.length; i++) src[i] = r.nextFloat() - 0.5f;
        int[] lengths = {0, 1, L - 1, L, L + 1, 2 * L - 1, 2 * L + 3, 32, ShortCopy.MAX_VECTOR_COPY, ShortCopy.MAX_VECTOR_COPY + 1, 200};
        for (int len : lengths) {
            for (int s : new int[] {0, 3, 17}) {
                for (int d : new int[] {0, 5, 34}) {
                    float[] got = new float[260], want = new float[260];
                    java.util.Arrays.fill(got, -7f);
                    java.util.Arrays.fill(want, -7f);
                    ShortCopy.copy(src, s, got, d, len);
                    System.arraycopy(src, s, want, d, len);
                    assertThat(got).as("len %d from %d to %d", len, s, d).containsExactly(want);
                }
            }
        }
    }
}
