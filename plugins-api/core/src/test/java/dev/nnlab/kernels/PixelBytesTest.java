package dev.nnlab.kernels;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class PixelBytesTest {
    private static final int L = VectorWidth.FLOATS.length();
    private static final int OFF = 3;
    private static final int[] SIZES = {0, 1, L - 1, L, L + 1, 2 * L + 3, 28, 784, 1031};

    /** Pixels as the unit scaling makes them: (k - 0) * (1f / 255f). */
    private static float[] pixels(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (r.nextInt(256) - 0f) * (1f / 255f);
        return x;
    }

    @Test
    void every_code_decodes_to_the_unit_scaled_pixel_and_encodes_back() {
        float[] x = new float[256 + OFF];
        for (int k = 0; k < 256; k++) x[OFF + k] = (float) k * (1f / 255f);
        byte[] codes = new byte[256 + 1];
        assertThat(PixelBytes.encode(256, x, OFF, codes, 1)).isTrue();
        for (int k = 0; k < 256; k++) assertThat(codes[1 + k] & 0xff).as("code of pixel %d", k).isEqualTo(k);
        float[] back = new float[256 + 2];
        PixelBytes.decode(256, codes, 1, back, 2);
        for (int k = 0; k < 256; k++) {
            assertThat(Float.floatToRawIntBits(back[2 + k])).as("pixel %d", k).isEqualTo(Float.floatToRawIntBits(x[OFF + k]));
        }
    }

    @Test
    void vector_loops_equal_the_scalar_twins_bit_for_bit_on_awkward_lengths() {
        for (int n : SIZES) {
            SplittableRandom r = new SplittableRandom(n);
            float[] x = pixels(r, n + 2 * OFF);
            byte[] v = new byte[n + 2 * OFF], s = new byte[n + 2 * OFF];
            assertThat(PixelBytes.encode(n, x, OFF, v, 1)).as("encode %d", n).isTrue();
            assertThat(PixelBytesReference.encode(n, x, OFF, s, 1)).isTrue();
            assertThat(v).as("codes of %d", n).isEqualTo(s);
            float[] dv = new float[n + 2 * OFF], ds = new float[n + 2 * OFF];
            Arrays.fill(dv, -7f);
            Arrays.fill(ds, -7f);
            PixelBytes.decode(n, v, 1, dv, 2);
            PixelBytesReference.decode(n, s, 1, ds, 2);
            for (int i = 0; i < dv.length; i++) {
                assertThat(Float.floatToRawIntBits(dv[i])).as("decode[%d] of %d", i, n).isEqualTo(Float.floatToRawIntBits(ds[i]));
            }
            for (int i = 0; i < n; i++) assertThat(dv[2 + i]).isEqualTo(x[OFF + i]);
        }
    }

    @Test
    void a_row_with_any_value_that_is_not_a_pixel_code_is_refused_wherever_it_sits() {
        float[] wrong = {-0f, Float.NaN, -1f / 255f, 256f / 255f, 0.5f, 1e-9f, Float.POSITIVE_INFINITY,
                Math.nextUp(1f / 255f), 3e9f, -3e9f};
        int n = 3 * L + 5;
        for (float w : wrong) {
            for (int at : new int[] {0, L - 1, L, 2 * L + 1, n - 1}) {
                float[] x = pixels(new SplittableRandom(at), n);
                x[at] = w;
                assertThat(PixelBytes.encode(n, x, 0, new byte[n], 0)).as("%s at %d", w, at).isFalse();
                assertThat(PixelBytesReference.encode(n, x, 0, new byte[n], 0)).as("reference: %s at %d", w, at).isFalse();
            }
        }
    }
}
