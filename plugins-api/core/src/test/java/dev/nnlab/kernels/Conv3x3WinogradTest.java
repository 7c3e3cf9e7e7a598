package dev.nnlab.kernels;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static dev.nnlab.kernels.Conv3x3Test.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link Conv3x3Winograd} against {@link Conv3x3Reference}'s plain loops, forward and the input-gradient pass (flipped
 * weights), with and without bias: half a vector of tiles per tile row (16 wide), one and several vectors per tile
 * row, a single tile row, channel counts of one block and of several. Not the same bits as the direct kernels (the
 * transforms add inputs before weighting them), so the bound is relative to the sum of the terms' magnitudes.
 */
class Conv3x3WinogradTest {
    record Shape(int cin, int cout, int h, int w, int samples) {
        @Override
        public String toString() { return "C" + cin + " F" + cout + " " + h + "x" + w + " x" + samples; }
    }

    static List<Shape> shapes() {
        return List.of(
                new Shape(4, 4, 16, 16, 1),    // half a vector of tiles per tile row, one register tile
                new Shape(4, 8, 8, 32, 2),     // one vector per tile row, two samples' planes interleaved
                new Shape(8, 4, 2, 32, 1),     // a single tile row
                new Shape(16, 16, 32, 32, 1),  // ResNet's first stage
                new Shape(32, 12, 16, 16, 1),  // ResNet's second stage in, three blocks of filters out
                new Shape(8, 4, 8, 8, 1),      // 8 wide: four tile rows per vector, a block of one vector
                new Shape(64, 64, 8, 8, 2));   // ResNet's third stage
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void matches_the_plain_loops_forward_and_flipped(Shape s) {
        Assumptions.assumeTrue(Conv3x3Winograd.fits(s.cin, s.cout, s.h, s.w), "not 16 lanes: Winograd's kernel does not run");
        SplittableRandom r = new SplittableRandom(s.hashCode() + 11);
        int ps = Conv3x3.planeStride(s.h, s.w), lq = Conv3x3.flatLength(s.h, s.w), wp = Conv3x3.paddedWidth(s.w);
        int pixels = s.h * s.w, yStride = pixels + 5;
        float[] w = random(r, s.cout * s.cin * 9), bias = random(r, s.cout);
        float[] u = new float[Conv3x3Winograd.weightsLength(s.cin, s.cout)];
        for (boolean flip : new boolean[] {false, true}) {
            int ins = flip ? s.cout : s.cin, outs = flip ? s.cin : s.cout;
            // The kernel reads images (channels a gap apart, after another sample's); the plain loops read padded planes.
            int imageStride = s.samples * pixels + 7, at = 3 + (s.samples - 1) * pixels, stride = s.samples * ps;
            float[] images = new float[at + ins * imageStride], x = new float[(ins + 1) * stride];
            Arrays.fill(images, Float.NaN); // nothing outside the images may be read
            for (int c = 0; c < ins; c++) {
                float[] image = random(r, pixels);
                System.arraycopy(image, 0, images, at + c * imageStride, pixels);
                Conv3x3.pad(1, s.h, s.w, image, 0, x, c * stride, stride);
            }
            float[] b = flip ? null : bias;
            float[] got = new float[2 + outs * yStride], want = new float[outs * lq];
            float[] scratch = new float[Conv3x3Winograd.scratchLength(ins, outs)];
            Arrays.fill(got, 42f);
            Arrays.fill(scratch, Float.NaN); // nothing may be read before it is written
            Conv3x3Winograd.packWeights(s.cin, s.cout, w, 0, flip, u);
            Conv3x3Winograd.forward(ins, outs, s.h, s.w, u, b, 0, images, at, 0, imageStride, got, 2, 0, yStride, 1, scratch);
            Conv3x3Reference.forward(s.cin, s.cout, s.h, s.w, w, flip, b, x, 0, stride, want, 0);
            // Every input and weight is below 1 in magnitude: a sum of 9 ins terms is below 9 ins (+1 for the bias).
            float tolerance = 4e-7f * (9 * ins + 1);
            for (int o = 0; o < outs; o++) {
                for (int i = 0; i < yStride; i++) {
                    float g = got[2 + o * yStride + i];
                    if (i >= pixels) {
                        assertThat(g).as("%s flip=%s gap after channel %d", s, flip, o).isEqualTo(42f);
                        continue;
                    }
                    float e = want[o * lq + i / s.w * wp + i % s.w];
                    assertThat(g).as("%s flip=%s out %d pixel %d", s, flip, o, i).isCloseTo(e, within(tolerance));
                }
            }
            assertThat(got[0]).isEqualTo(42f);
            assertThat(got[1]).isEqualTo(42f);
        }
    }

    @ParameterizedTest(name = "{0} samples of 8x8 and 16x16")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 3, 4, 5, 9})
    void runs_blocks_across_samples_with_a_partial_last_block(int count) {
        for (int side : new int[] {8, 16}) {
            Assumptions.assumeTrue(Conv3x3Winograd.fits(4, 8, side, side), "not 16 lanes");
            int cin = 4, cout = 8, ps = Conv3x3.planeStride(side, side), lq = Conv3x3.flatLength(side, side);
            int wp = Conv3x3.paddedWidth(side), pixels = side * side;
            SplittableRandom r = new SplittableRandom(count * 31 + side);
            float[] w = random(r, cout * cin * 9), bias = random(r, cout);
            float[] u = new float[Conv3x3Winograd.weightsLength(cin, cout)];
            Conv3x3Winograd.packWeights(cin, cout, w, 0, false, u);
            int xSample = cin * pixels + 7, ySample = cout * pixels + 3;
            float[] images = new float[count * xSample], x = new float[count * cin * ps + ps];
            for (int s = 0; s < count; s++) {
                float[] sample = random(r, cin * pixels);
                System.arraycopy(sample, 0, images, s * xSample, sample.length);
                Conv3x3.pad(cin, side, side, sample, 0, x, s * cin * ps, ps);
            }
            float[] got = new float[count * ySample], want = new float[cout * lq];
            float[] scratch = new float[Conv3x3Winograd.scratchLength(cin, cout)];
            Arrays.fill(got, 42f);
            Arrays.fill(scratch, Float.NaN);
            Conv3x3Winograd.forward(cin, cout, side, side, u, bias, 0, images, 0, xSample, pixels, got, 0, ySample, pixels, count, scratch);
            for (int s = 0; s < count; s++) {
                Conv3x3Reference.forward(cin, cout, side, side, w, false, bias, x, s * cin * ps, ps, want, 0);
                for (int o = 0; o < cout; o++) {
                    for (int i = 0; i < pixels; i++) {
                        float e = want[o * lq + i / side * wp + i % side];
                        assertThat(got[s * ySample + o * pixels + i]).as("%dx%d sample %d out %d pixel %d", side, side, s, o, i)
                                .isCloseTo(e, within(4e-7f * (9 * cin + 1)));
                    }
                }
                for (int i = cout * pixels; i < ySample && s * ySample + i < got.length; i++) {
                    assertThat(got[s * ySample + i]).as("gap after sample %d", s).isEqualTo(42f);
                }
            }
        }
    }

    @Test
    void the_transformed_filters_are_G_g_G_transposed_in_blocks_of_4_outputs() {
        // 4 inputs to 8 outputs, filter (o, c) = 1..9 + 10 o + 100 c: U[xi][o / 4][c][o % 4] = (G g G^T)[xi].
        int cin = 4, cout = 8;
        float[] w = new float[cout * cin * 9], u = new float[Conv3x3Winograd.weightsLength(cin, cout)];
        for (int o = 0; o < cout; o++) {
            for (int c = 0; c < cin; c++) {
                for (int t = 0; t < 9; t++) w[(o * cin + c) * 9 + t] = 1 + t + 10 * o + 100 * c;
            }
        }
        Conv3x3Winograd.packWeights(cin, cout, w, 0, false, u);
        double[][] G = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
        for (int o = 0; o < cout; o++) {
            for (int c = 0; c < cin; c++) {
                for (int xi = 0; xi < 16; xi++) {
                    double want = 0;
                    for (int a = 0; a < 3; a++) {
                        for (int b = 0; b < 3; b++) want += G[xi / 4][a] * w[(o * cin + c) * 9 + 3 * a + b] * G[xi % 4][b];
                    }
                    assertThat(u[((xi * (cout / 4) + o / 4) * cin + c) * 4 + o % 4]).as("U[%d] of (%d, %d)", xi, o, c)
                            .isEqualTo((float) want);
                }
            }
        }
    }

    @Test
    void refuses_a_shape_it_cannot_tile() {
        Assumptions.assumeTrue(Conv3x3Winograd.fits(4, 4, 16, 16));
        assertThat(Conv3x3Winograd.fits(4, 4, 4, 4)).as("4 tiles an image").isFalse();
        assertThat(Conv3x3Winograd.fits(4, 4, 16, 24)).as("24 wide: 12 tiles a row").isFalse();
        assertThat(Conv3x3Winograd.fits(3, 4, 16, 16)).as("3 channels in").isFalse();
        assertThat(Conv3x3Winograd.fits(4, 4, 15, 16)).as("odd height").isFalse();
        assertThatThrownBy(() -> Conv3x3Winograd.forward(4, 4, 16, 24, new float[256], null, 0, new float[40000], 0, 0,
                384, new float[2000], 0, 0, 384, 1, new float[40000])).hasMessageContaining("16x24");
    }
}
