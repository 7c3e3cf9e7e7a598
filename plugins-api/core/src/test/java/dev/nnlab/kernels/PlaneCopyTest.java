package dev.nnlab.kernels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Conv3x3#pad} and {@link Conv3x3#crop} (vector rows with a masked tail when SIMD is on) against plain
 * per-float loops, with every float the copy must not touch set to a sentinel: the padding around each plane,
 * the planes of the other samples between channels, and what lies before and after. Widths below, at and past
 * one vector and tails of every kind, one channel, one row, offsets into the arrays, the arrays' ends.
 */
class PlaneCopyTest {
    record Shape(int channels, int h, int w, int samples) {
        @Override
        public String toString() { return "C" + channels + " " + h + "x" + w + " x" + samples; }
    }

    static List<Shape> shapes() {
        List<Shape> out = new ArrayList<>();
        for (int w : new int[] {1, 2, 3, 7, 13, 14, 15, 16, 17, 28, 31, 33}) {
            out.add(new Shape(1, 1, w, 1));
            out.add(new Shape(3, 5, w, 2));
        }
        out.add(new Shape(32, 14, 14, 3)); // W3's second layer
        out.add(new Shape(1, 28, 28, 1));  // W3's first
        return out;
    }

    private static final float SENTINEL = -7.25f;

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void pad_writes_the_interiors_and_nothing_else(Shape s) {
        SplittableRandom r = new SplittableRandom(s.hashCode());
        int ps = Conv3x3.planeStride(s.h, s.w), wp = Conv3x3.paddedWidth(s.w), stride = s.samples * ps;
        int image = s.channels * s.h * s.w;
        for (int sample = 0; sample < s.samples; sample++) {
            float[] src = new float[3 + image];
            for (int i = 0; i < src.length; i++) src[i] = (float) r.nextGaussian();
            int dstOff = 5 + sample * ps, length = 5 + (s.channels - 1) * stride + s.samples * ps;
            float[] got = new float[length], want = new float[length];
            java.util.Arrays.fill(got, SENTINEL);
            java.util.Arrays.fill(want, SENTINEL);
            Conv3x3.pad(s.channels, s.h, s.w, src, 3, got, dstOff, stride);
            for (int c = 0; c < s.channels; c++) {
                for (int h = 0; h < s.h; h++) {
                    for (int w = 0; w < s.w; w++) {
                        want[dstOff + c * stride + (h + 1) * wp + 1 + w] = src[3 + (c * s.h + h) * s.w + w];
                    }
                }
            }
            assertThat(got).containsExactly(want);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void crop_copies_the_image_columns_and_nothing_else(Shape s) {
        SplittableRandom r = new SplittableRandom(s.hashCode() + 1);
        int lq = Conv3x3.flatLength(s.h, s.w), wp = Conv3x3.paddedWidth(s.w), image = s.channels * s.h * s.w;
        float[] flat = new float[2 + s.channels * lq];
        for (int i = 0; i < flat.length; i++) flat[i] = (float) r.nextGaussian();
        for (int trailing : new int[] {0, 4}) {
            float[] got = new float[1 + image + trailing], want = new float[got.length];
            java.util.Arrays.fill(got, SENTINEL);
            java.util.Arrays.fill(want, SENTINEL);
            Conv3x3.crop(s.channels, s.h, s.w, flat, 2, got, 1);
            for (int c = 0; c < s.channels; c++) {
                for (int h = 0; h < s.h; h++) {
                    for (int w = 0; w < s.w; w++) want[1 + (c * s.h + h) * s.w + w] = flat[2 + c * lq + h * wp + w];
                }
            }
            assertThat(got).containsExactly(want);
        }
    }
}
