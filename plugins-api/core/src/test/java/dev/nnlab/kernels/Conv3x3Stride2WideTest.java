package dev.nnlab.kernels;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link Conv3x3Stride2Wide} against {@link Conv3x3Stride2} (forward and input gradient: the same bits) and against
 * the definition in plain loops (the weight gradient, summed in another order): one channel, one filter, filters
 * left over after blocks of 4 and an odd last filter, single rows of vectors, several samples in a group, at this
 * JVM's width (shapes it cannot run are skipped there).
 */
class Conv3x3Stride2WideTest {
    record Shape(int cin, int cout, int h, int w, int samples) {
        @Override
        public String toString() { return "C" + cin + " F" + cout + " " + h + "x" + w + " x" + samples; }
    }

    static List<Shape> shapes() {
        return List.of(
                new Shape(1, 1, 16, 16, 1),    // one channel, one filter, an 8x8 output of 4 vectors
                new Shape(3, 5, 8, 32, 2),     // rows of one vector, a filter after a block of 4, odd filters
                new Shape(2, 7, 2, 128, 1),    // a single output row of 4 vectors; blocks of 4 and 3 left
                new Shape(5, 6, 32, 16, 3),    // half-vector rows, several tiles, 3 samples in a group
                new Shape(2, 5, 32, 8, 2),     // quarter-vector rows: the split and merge of single floats
                new Shape(3, 4, 4, 64, 1),     // rows of two vectors, a block of 4 filters only
                new Shape(16, 32, 32, 32, 2),  // ResNet's stage-2 downsampling
                new Shape(32, 64, 16, 16, 3)); // ResNet's stage-3 downsampling
    }

    @Test
    void fits_only_even_sides_with_whole_tiles() {
        int l = Conv3x3Wide.lanes();
        assertThat(Conv3x3Stride2Wide.fits(32, 32)).isEqualTo(l == 16);
        assertThat(Conv3x3Stride2Wide.fits(16, 16)).isEqualTo(l == 16);
        assertThat(Conv3x3Stride2Wide.fits(15, 16)).isFalse();
        assertThat(Conv3x3Stride2Wide.fits(8, 8)).isFalse(); // a 4x4 output: one vector
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void forward_gives_the_polyphase_kernels_bits(Shape s) {
        Assumptions.assumeTrue(Conv3x3Stride2Wide.fits(s.h, s.w), "not at this vector width");
        SplittableRandom r = new SplittableRandom(s.hashCode());
        int oh = s.h / 2, ow = s.w / 2, pixels = oh * ow;
        float[] w = random(r, s.cout * s.cin * 9), bias = random(r, s.cout), packed = new float[w.length];
        Conv3x3Stride2.packForward(s.cin, s.cout, w, 0, packed);
        float[] x = random(r, s.samples * s.cin * s.h * s.w);
        int ps = Conv3x3Stride2Wide.planeStride(s.h, s.w), stride = s.samples * ps;
        int ops = Conv3x3Stride2.planeStride(s.h, s.w), lq = Conv3x3Stride2.flatLength(s.h, s.w);
        float[] planes = new float[6 * s.cin * stride + Conv3x3Stride2Wide.tailFloats(s.w)];
        Arrays.fill(planes, Float.NaN); // split writes every float the forward reads
        float[] phases = new float[4 * s.cin * ops + Conv3x3Stride2.tailFloats(s.h, s.w) + s.w];
        for (int n = 0; n < s.samples; n++) {
            int xo = n * s.cin * s.h * s.w;
            float[] got = new float[2 + s.cout * pixels], want = new float[2 + s.cout * pixels], flat = new float[s.cout * lq];
            Arrays.fill(got, 42f);
            Arrays.fill(want, 42f);
            Conv3x3Stride2Wide.split(s.cin, s.h, s.w, x, xo, planes, n * ps, stride);
            Conv3x3Stride2Wide.forward(s.cin, s.cout, s.h, s.w, packed, bias, 0, planes, n * ps, stride, got, 1);
            Conv3x3Stride2.split(s.cin, s.h, s.w, x, xo, phases, 0, ops);
            Conv3x3Stride2.forward(s.cin, s.cout, s.h, s.w, packed, bias, 0, phases, 0, ops, flat, 0);
            Conv3x3Stride2.crop(s.cout, s.h, s.w, flat, 0, want, 1);
            assertThat(got).containsExactly(want);
            double[] exact = definitionForward(s, w, bias, x, xo);
            for (int i = 0; i < exact.length; i++) assertThat((double) got[1 + i]).as("y[%d]", i).isCloseTo(exact[i], within(1e-4));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void input_gradient_gives_the_polyphase_kernels_bits(Shape s) {
        Assumptions.assumeTrue(Conv3x3Stride2Wide.fits(s.h, s.w), "not at this vector width");
        SplittableRandom r = new SplittableRandom(s.hashCode() + 1);
        int pixels = (s.h / 2) * (s.w / 2), in = s.cin * s.h * s.w;
        float[] w = random(r, s.cout * s.cin * 9), packed = new float[w.length];
        Conv3x3Stride2.packInputGradient(s.cin, s.cout, w, 0, packed);
        float[] dy = random(r, s.samples * s.cout * pixels);
        int ps = Conv3x3Stride2Wide.planeStride(s.h, s.w), stride = s.samples * ps;
        int ops = Conv3x3Stride2.planeStride(s.h, s.w), lp = Conv3x3Stride2.phaseFlatLength(s.h, s.w);
        float[] planes = new float[2 * s.cout * stride + Conv3x3Stride2Wide.tailFloats(s.w)];
        float[] old = new float[s.cout * ops + Conv3x3Stride2.tailFloats(s.h, s.w) + Conv3x3Stride2.lead(s.w)];
        for (int n = 0; n < s.samples; n++) {
            float[] got = new float[1 + in], want = new float[1 + in];
            float[] out = new float[s.cin * pixels], flat = new float[s.cin * lp];
            Arrays.fill(got, Float.NaN);
            Conv3x3Stride2Wide.padGradient(s.cout, s.h, s.w, dy, n * s.cout * pixels, planes, n * ps, stride);
            Conv3x3Stride2.padGradient(s.cout, s.h, s.w, dy, n * s.cout * pixels, old, 0, ops);
            float[] all = new float[2 + 4 * s.cin * pixels], merged = new float[1 + in];
            Arrays.fill(merged, Float.NaN);
            for (int ph = 0; ph < 4; ph++) {
                Arrays.fill(out, Float.NaN);
                Conv3x3Stride2Wide.inputGradient(ph, s.cin, s.cout, s.h, s.w, packed, planes, n * ps, stride, out, 0);
                Conv3x3Stride2Wide.merge(ph, s.cin, s.h, s.w, out, 0, got, 1);
                System.arraycopy(out, 0, all, 2 + ph * s.cin * pixels, s.cin * pixels);
                Conv3x3Stride2.inputGradient(ph, s.cin, s.cout, s.h, s.w, packed, old, 0, ops, flat, 0);
                Conv3x3Stride2.merge(ph, s.cin, s.h, s.w, flat, 0, want, 1);
            }
            assertThat(Arrays.copyOfRange(got, 1, got.length)).containsExactly(Arrays.copyOfRange(want, 1, want.length));
            Conv3x3Stride2Wide.mergeAll(s.cin, s.h, s.w, all, 2, merged, 1);
            assertThat(merged).containsExactly(got);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void weight_gradient_of_a_group_matches_the_definition(Shape s) {
        Assumptions.assumeTrue(Conv3x3Stride2Wide.fits(s.h, s.w), "not at this vector width");
        SplittableRandom r = new SplittableRandom(s.hashCode() + 2);
        int pixels = (s.h / 2) * (s.w / 2), in = s.cin * s.h * s.w;
        float[] x = random(r, s.samples * in), dy = random(r, s.samples * s.cout * pixels);
        int ps = Conv3x3Stride2Wide.planeStride(s.h, s.w), stride = s.samples * ps + 5; // a gap between channels
        float[] planes = new float[6 * s.cin * stride + Conv3x3Stride2Wide.tailFloats(s.w)];
        float[] grads = new float[2 * s.cout * stride];
        // Finite garbage wherever split does not write; the gradient planes' own zeros must cancel it.
        for (int i = 0; i < planes.length; i++) planes[i] = 1e3f * (float) (r.nextDouble() - 0.5);
        for (int n = 0; n < s.samples; n++) {
            Conv3x3Stride2Wide.split(s.cin, s.h, s.w, x, n * in, planes, n * ps, stride);
            Conv3x3Stride2Wide.padGradient(s.cout, s.h, s.w, dy, n * s.cout * pixels, grads, n * ps, stride);
        }
        float[] dw = random(r, 1 + s.cout * s.cin * 9);
        double[] want = new double[dw.length];
        for (int i = 0; i < dw.length; i++) want[i] = dw[i];
        for (int n = 0; n < s.samples; n++) definitionWeightGradient(s, x, n * in, dy, n * s.cout * pixels, want, 1);
        Conv3x3Stride2Wide.weightGradient(s.cin, s.cout, s.h, s.w, s.samples, grads, 0, stride, planes, 0, stride, dw, 1);
        for (int i = 0; i < dw.length; i++) assertThat((double) dw[i]).as("dw[%d]", i).isCloseTo(want[i], within(1e-3 * (1 + Math.abs(want[i]))));
    }

    private static double[] definitionForward(Shape s, float[] w, float[] bias, float[] x, int xo) {
        int oh = s.h / 2, ow = s.w / 2;
        double[] y = new double[s.cout * oh * ow];
        for (int f = 0; f < s.cout; f++) {
            for (int p = 0; p < oh; p++) {
                for (int q = 0; q < ow; q++) {
                    double sum = bias[f];
                    for (int c = 0; c < s.cin; c++) {
                        for (int i = 0; i < 3; i++) {
                            for (int j = 0; j < 3; j++) {
                                int h = 2 * p + i - 1, v = 2 * q + j - 1;
                                if (h < 0 || h >= s.h || v < 0 || v >= s.w) continue;
                                sum += (double) w[(f * s.cin + c) * 9 + 3 * i + j] * x[xo + (c * s.h + h) * s.w + v];
                            }
                        }
                    }
                    y[(f * oh + p) * ow + q] = sum;
                }
            }
        }
        return y;
    }

    private static void definitionWeightGradient(Shape s, float[] x, int xo, float[] dy, int dyo, double[] dw, int dwo) {
        int oh = s.h / 2, ow = s.w / 2;
        for (int f = 0; f < s.cout; f++) {
            for (int c = 0; c < s.cin; c++) {
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        double sum = 0;
                        for (int p = 0; p < oh; p++) {
                            for (int q = 0; q < ow; q++) {
                                int h = 2 * p + i - 1, v = 2 * q + j - 1;
                                if (h < 0 || h >= s.h || v < 0 || v >= s.w) continue;
                                sum += (double) dy[dyo + (f * oh + p) * ow + q] * x[xo + (c * s.h + h) * s.w + v];
                            }
                        }
                        dw[dwo + (f * s.cin + c) * 9 + 3 * i + j] += sum;
                    }
                }
            }
        }
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextDouble() * 2 - 1);
        return a;
    }
}
