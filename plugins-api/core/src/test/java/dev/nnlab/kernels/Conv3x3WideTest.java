package dev.nnlab.kernels;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static dev.nnlab.kernels.Conv3x3Test.padded;
import static dev.nnlab.kernels.Conv3x3Test.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The kernels for ResNet's planes on wide vectors ({@link Conv3x3Wide}, {@link Conv3x3Patches}) against
 * {@link Conv3x3Reference}'s plain loops: one channel, channel counts that leave remainders after every tile, single
 * rows and columns, batch 1, at this JVM's width (shapes a width cannot run are skipped there).
 */
class Conv3x3WideTest {
    record Shape(int cin, int cout, int h, int w, int samples) {
        @Override
        public String toString() { return "C" + cin + " F" + cout + " " + h + "x" + w + " x" + samples; }
    }

    private static final int L = Math.max(1, VectorWidth.bits() / 32);

    /** Sizes whose width is whole vectors and whose image is a multiple of 4 vectors at this width. */
    static List<Shape> imageShapes() {
        return List.of(
                new Shape(1, 5, 4, L, 1),        // a first layer, one vector per row, a filter remainder of 1
                new Shape(3, 9, 2, 2 * L, 2),    // a tile of 4 vectors spans two rows; 2 blocks of 4 and 1 more
                new Shape(2, 3, 1, 4 * L, 1),    // a single row, no whole block of filters
                new Shape(5, 8, 8, L, 3),        // several tiles down a column of vectors
                new Shape(16, 16, 4, 2 * L, 1)); // ResNet's stage: whole blocks only
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("imageShapes")
    void forward_into_images_matches_the_plain_loops_and_the_narrow_tile_bit_for_bit(Shape s) {
        Assumptions.assumeTrue(Conv3x3Wide.fits(s.h, s.w), "no 16-lane vectors: the wide tile does not run");
        SplittableRandom r = new SplittableRandom(s.hashCode() + 7);
        int ps = Conv3x3.planeStride(s.h, s.w), lq = Conv3x3.flatLength(s.h, s.w), wp = Conv3x3.paddedWidth(s.w);
        int pixels = s.h * s.w, yStride = pixels + 3;
        float[] w = random(r, s.cout * s.cin * 9), bias = random(r, s.cout), packed = new float[w.length];
        for (boolean flip : new boolean[] {false, true}) {
            int ins = flip ? s.cout : s.cin, outs = flip ? s.cin : s.cout;
            float[] x = padded(r, ins, s.h, s.w, s.samples, 2);
            int stride = s.samples * ps, at = 2 + (s.samples - 1) * ps;
            float[] b = flip ? null : bias;
            float[] got = new float[1 + outs * yStride], narrow = new float[1 + outs * yStride], want = new float[outs * lq];
            Arrays.fill(got, 42f);
            Arrays.fill(narrow, 42f);
            Conv3x3.packWeights(s.cin, s.cout, w, 0, flip, packed);
            Conv3x3Wide.forwardImage(ins, outs, s.h, s.w, packed, b, 0, x, at, stride, got, 1, yStride);
            Conv3x3.forwardImage(ins, outs, s.h, s.w, packed, b, 0, x, at, stride, narrow, 1, yStride);
            Conv3x3Reference.forward(s.cin, s.cout, s.h, s.w, w, flip, b, x, at, stride, want, 0);
            for (int o = 0; o < outs; o++) {
                for (int i = 0; i < yStride; i++) {
                    float g = got[1 + o * yStride + i];
                    if (i >= pixels) {
                        assertThat(g).as("%s flip=%s gap after channel %d", s, flip, o).isEqualTo(42f);
                        continue;
                    }
                    float e = want[o * lq + i / s.w * wp + i % s.w];
                    assertThat(g).as("%s flip=%s out %d pixel %d", s, flip, o, i).isCloseTo(e, within(1e-4f * (1 + Math.abs(e))));
                }
            }
            assertThat(got).as("%s flip=%s: same bits as the 4 x 2 tile", s, flip).isEqualTo(narrow);
        }
    }

    @Test
    void forward_into_images_refuses_a_size_it_cannot_tile() {
        assertThatThrownBy(() -> Conv3x3Wide.forwardImage(1, 1, 3, 3, new float[9], null, 0,
                new float[1000], 0, Conv3x3.planeStride(3, 3), new float[9], 0, 9)).hasMessageContaining("3x3");
    }

    static List<Shape> gradientShapes() {
        return List.of(
                new Shape(1, 1, 1, 1, 1),
                new Shape(1, 16, 4, 5, 3),   // a first layer: one channel in
                new Shape(2, 9, 13, 11, 2),  // odd sizes and an odd filter count: the last filter alone
                new Shape(3, 2, 1, 9, 1),    // a single row
                new Shape(2, 3, 9, 1, 4),    // a single column
                new Shape(16, 16, 8, 32, 2), // ResNet's first stage (a few rows of it)
                new Shape(5, 1, 8, 8, 2));   // one filter
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gradientShapes")
    void the_weight_gradient_along_planes_matches_the_plain_loops_and_adds(Shape s) {
        SplittableRandom r = new SplittableRandom(s.hashCode() + 1);
        float[] x = padded(r, s.cin, s.h, s.w, s.samples, 3), dy = padded(r, s.cout, s.h, s.w, s.samples, 0);
        float[] start = random(r, s.cout * s.cin * 9 + 2);
        float[] got = start.clone(), want = start.clone();
        int stride = s.samples * Conv3x3.planeStride(s.h, s.w);
        Conv3x3Wide.weightGradient(s.cin, s.cout, s.h, s.w, s.samples, dy, 0, stride, x, 3, stride, got, 2);
        Conv3x3Reference.weightGradient(s.cin, s.cout, s.h, s.w, s.samples, dy, 0, stride, x, 3, stride, want, 2);
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).as("%s dw[%d]", s, i).isCloseTo(want[i], within(1e-4f * (1 + Math.abs(want[i]))));
        }
    }

    /** Images of whole strips of 2 vectors at this width, with odd widths, one row, one column. */
    static List<Shape> patchShapes() {
        int nr = 2 * L;
        List<Shape> shapes = new ArrayList<>(List.of(
                new Shape(1, 1, 1, nr, 1),       // one row, one channel in and out
                new Shape(3, 5, nr, 1, 2),       // one column: every tap but the middle column reads zeros
                new Shape(2, 13, 2, nr, 3),      // a tile of 12 and one left over (on 16 lanes), through scratch
                new Shape(9, 21, 3, nr, 1),      // 12 + 8 + 1 filters; 81 rows: 6-row tiles and 3 single rows
                new Shape(13, 4, nr, 3, 2)));    // width 3: runs wrap round row ends inside a vector
        if (64 % nr == 0) shapes.add(new Shape(64, 64, 8, 8, 2)); // ResNet's 8x8 stage
        return shapes;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("patchShapes")
    void forward_over_the_image_pixels_matches_the_plain_loops(Shape s) {
        Assumptions.assumeTrue(Conv3x3Patches.fits(s.h, s.w), "SIMD off, or not whole strips");
        SplittableRandom r = new SplittableRandom(s.hashCode() + 11);
        int ps = Conv3x3.planeStride(s.h, s.w), lq = Conv3x3.flatLength(s.h, s.w), wp = Conv3x3.paddedWidth(s.w);
        int pixels = s.h * s.w;
        float[] w = random(r, s.cout * s.cin * 9), bias = random(r, s.cout);
        for (boolean flip : new boolean[] {false, true}) {
            int ins = flip ? s.cout : s.cin, outs = flip ? s.cin : s.cout;
            float[] b = flip ? null : bias;
            float[] gw = new float[Conv3x3.gemmWeightsLength(s.cin, s.cout, flip)];
            Conv3x3.packGemmWeights(s.cin, s.cout, w, 0, b, 0, flip, gw);
            float[] scratch = new float[Conv3x3Patches.scratchLength(ins)];
            Arrays.fill(scratch, Float.NaN);
            float[] margins = new float[ins * Conv3x3Patches.marginStride(s.h, s.w)];
            for (int k = 0; k < s.samples; k++) {
                float[] image = random(r, ins * pixels + 1);
                float[] x = new float[(ins + 1) * ps];
                Conv3x3.pad(ins, s.h, s.w, image, 1, x, 0, ps);
                Conv3x3Patches.toMargins(ins, s.h, s.w, image, 1, margins);
                float[] got = new float[outs * pixels + 2], want = new float[outs * lq];
                got[0] = 42f;
                got[got.length - 1] = 43f;
                Conv3x3Patches.forward(ins, outs, s.h, s.w, gw, margins, got, 1, scratch);
                Conv3x3Reference.forward(s.cin, s.cout, s.h, s.w, w, flip, b, x, 0, ps, want, 0);
                for (int o = 0; o < outs; o++) {
                    for (int p = 0; p < pixels; p++) {
                        float e = want[o * lq + p / s.w * wp + p % s.w], g = got[1 + o * pixels + p];
                        assertThat(g).as("%s flip=%s sample %d out %d pixel %d", s, flip, k, o, p)
                                .isCloseTo(e, within(1e-4f * (1 + Math.abs(e))));
                    }
                }
                assertThat(got[0]).isEqualTo(42f);
                assertThat(got[got.length - 1]).isEqualTo(43f);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("patchShapes")
    void the_weight_gradient_over_the_image_pixels_matches_the_plain_loops_sample_by_sample(Shape s) {
        Assumptions.assumeTrue(Conv3x3Patches.fits(s.h, s.w), "SIMD off, or not whole strips");
        SplittableRandom r = new SplittableRandom(s.hashCode() + 5);
        int ps = Conv3x3.planeStride(s.h, s.w), pixels = s.h * s.w;
        float[] start = random(r, s.cout * s.cin * 9 + 2);
        float[] got = start.clone(), want = start.clone();
        float[] pd = new float[Conv3x3Patches.packedGradientLength(s.cout, s.h, s.w)];
        float[] rows = new float[Conv3x3Patches.patchRowsLength(s.cin, s.h, s.w)];
        float[] margins = new float[s.cin * Conv3x3Patches.marginStride(s.h, s.w)];
        float[] dwT = new float[9 * s.cin * Conv3x3.gradientColumns(s.cout)];
        for (int k = 0; k < s.samples; k++) {
            // Stale values in the buffers must not leak.
            Arrays.fill(pd, Float.NaN);
            Arrays.fill(rows, Float.NaN);
            float[] xImage = random(r, s.cin * pixels), image = random(r, s.cout * pixels + 1);
            float[] x = new float[(s.cin + 1) * ps], dy = new float[(s.cout + 1) * ps];
            Conv3x3.pad(s.cin, s.h, s.w, xImage, 0, x, 0, ps);
            Conv3x3.pad(s.cout, s.h, s.w, image, 1, dy, 0, ps);
            Conv3x3Reference.weightGradient(s.cin, s.cout, s.h, s.w, 1, dy, 0, ps, x, 0, ps, want, 2);
            Conv3x3Patches.toMargins(s.cin, s.h, s.w, xImage, 0, margins);
            Conv3x3Patches.patchRows(s.cin, s.h, s.w, margins, rows);
            Conv3x3Patches.packGradient(s.cout, s.h, s.w, image, 1, pd);
            Conv3x3Patches.weightGradient(s.cin, s.cout, s.h, s.w, pd, rows, dwT);
        }
        Conv3x3.addTransposed(s.cin, s.cout, dwT, got, 2);
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).as("%s dw[%d]", s, i).isCloseTo(want[i], within(1e-4f * (1 + Math.abs(want[i]))));
        }
        assertThat(got[0]).isEqualTo(start[0]);
        assertThat(got[1]).isEqualTo(start[1]);
    }
}
