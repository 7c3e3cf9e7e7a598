package dev.nnlab.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The vector LSTM gate pass against its scalar double-precision twin, on widths around the vector length. */
class LstmGatesTest {
    private static final int L = VectorWidth.FLOATS.length();
    /** Hidden widths below, at and around one and two vectors, and a long odd one. */
    private static final int[] WIDTHS = {1, 2, L - 1, L, L + 1, 2 * L + 3, 200, 203};
    /** SVML's exp and tanh are within a few ulp; gates and states lie in [-1, 1] or a few units. */
    private static final float TOL = 2e-6f;

    @Test
    void forward_matches_the_scalar_reference_with_offsets_and_saturating_inputs() {
        for (int h : WIDTHS) {
            SplittableRandom r = new SplittableRandom(h);
            int off = 5;
            float[] a = random(r, 4 * h + 2 * off, 4);
            a[off] = 100f;             // sigmoid -> exactly 1
            a[off + 4 * h - 1] = -100f; // -> 0 (a denormal), never NaN
            float[] c0 = random(r, h + off, 2);
            float[] a2 = a.clone();
            float[] tc = new float[h + 1], y = new float[h + 2], s = new float[2 * h + 3];
            float[] tc2 = tc.clone(), y2 = y.clone(), s2 = s.clone();
            LstmGates.forward(h, a, off, c0, off, tc, 1, y, 2, s, 0, h);
            LstmGatesReference.forward(0, h, a2, off, c0, off, tc2, 1, y2, 2, s2, 0, h);
            close("gates h=" + h, a, a2);
            close("tanh c h=" + h, tc, tc2);
            close("h h=" + h, y, y2);
            close("state h=" + h, s, s2);
            assertThat(a[off]).as("saturated input gate").isEqualTo(1f);
            assertThat(a[off + 4 * h - 1]).as("saturated output gate").isBetween(0f, 1e-30f);
        }
    }

    @Test
    void backward_matches_the_scalar_reference_and_returns_the_squared_norm_of_dh() {
        for (int h : WIDTHS) {
            SplittableRandom r = new SplittableRandom(31L * h);
            float[] a = new float[4 * h + 1];
            for (int j = 0; j < 4 * h; j++) a[1 + j] = (float) r.nextDouble(0.01, 0.99);
            for (int j = 0; j < h; j++) a[1 + 2 * h + j] = (float) r.nextDouble(-0.99, 0.99);
            float[] c0 = random(r, h, 2), tc = random(r, h + 2, 1), dy = random(r, h, 1);
            float[] ds = random(r, 2 * h, 1), ds2 = ds.clone();
            float[] g = new float[4 * h + 3], g2 = g.clone();
            double norm = LstmGates.backward(h, a, 1, c0, 0, tc, 2, dy, 0, ds, 0, h, g, 3);
            double norm2 = LstmGatesReference.backward(0, h, a, 1, c0, 0, tc, 2, dy, 0, ds2, 0, h, g2, 3);
            close("gate grads h=" + h, g, g2);
            close("state grads h=" + h, ds, ds2);
            assertThat(norm).as("norm h=%d", h).isCloseTo(norm2, within(1e-5 * Math.max(1, norm2)));
            for (int j = 0; j < h; j++) assertThat(ds[j]).as("dh is handed on zeroed").isZero();
        }
    }

    private static void close(String what, float[] got, float[] want) {
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).as("%s [%d]", what, i).isCloseTo(want[i], within(TOL * Math.max(1f, Math.abs(want[i]))));
        }
    }

    private static float[] random(SplittableRandom r, int n, double range) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextDouble(-range, range);
        return v;
    }
}
