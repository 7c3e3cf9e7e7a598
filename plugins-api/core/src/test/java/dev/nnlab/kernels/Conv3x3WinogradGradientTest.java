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
 * {@link Conv3x3WinogradGradient} against the definition in plain loops,
 * {@code dW[o][c][i][j] = sum_s sum_(h,w) dy[s][o][h][w] x[s][c][h + i - 1][w + j - 1]}: 8, 16 and 32 wide, 32 and 64
 * input channels (8 x 2 and 4 x 4 register tiles, with 4 outputs left over), sample counts that leave a partial last
 * block, and sums that add to what the caller's array already holds.
 */
class Conv3x3WinogradGradientTest {
    record Shape(int cin, int cout, int h, int w, int samples) {
        @Override
        public String toString() { return "C" + cin + " F" + cout + " " + h + "x" + w + " x" + samples; }
    }

    static List<Shape> shapes() {
        return List.of(
                new Shape(32, 12, 8, 8, 5),    // 8 wide, 4 samples a block and one more; 8 x 2 then 4 x 2 outputs
                new Shape(64, 8, 8, 8, 2),     // the 4 x 4 tile, half a block
                new Shape(32, 32, 16, 16, 3),  // 16 wide: one block a sample
                new Shape(64, 4, 4, 32, 1));   // 32 wide, one block row of tiles
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void matches_the_definition(Shape s) {
        Assumptions.assumeTrue(Conv3x3WinogradGradient.fits(s.cin, s.cout, s.h, s.w), "not 16 lanes");
        SplittableRandom r = new SplittableRandom(s.hashCode() + 5);
        int ps = Conv3x3.planeStride(s.h, s.w), wp = Conv3x3.paddedWidth(s.w), pixels = s.h * s.w;
        int xSample = s.cin * pixels + 3, dySample = s.cout * pixels + 5, padded = s.cin * ps;
        float[] images = new float[s.samples * xSample], dy = random(r, 1 + s.samples * dySample);
        float[] x = new float[s.samples * padded + ps]; // padded planes, for the definition
        for (int n = 0; n < s.samples; n++) {
            float[] sample = random(r, s.cin * pixels);
            System.arraycopy(sample, 0, images, n * xSample, sample.length);
            Conv3x3.pad(s.cin, s.h, s.w, sample, 0, x, n * padded, ps);
        }
        float[] du = new float[Conv3x3WinogradGradient.sumsLength(s.cin, s.cout)];
        float[] scratch = new float[Conv3x3WinogradGradient.scratchLength(s.cin, s.cout)];
        Arrays.fill(scratch, Float.POSITIVE_INFINITY); // stale values must never reach the sums
        Conv3x3WinogradGradient.accumulate(s.cin, s.cout, s.h, s.w, images, 0, xSample, pixels, dy, 1, dySample, pixels, s.samples, du, scratch);
        float[] dw = new float[1 + s.cin * s.cout * 9];
        Arrays.fill(dw, 0.25f);
        Conv3x3WinogradGradient.finish(s.cin, s.cout, du, dw, 1);
        assertThat(dw[0]).isEqualTo(0.25f);
        for (int o = 0; o < s.cout; o++) {
            for (int c = 0; c < s.cin; c++) {
                for (int t = 0; t < 9; t++) {
                    double want = 0.25;
                    for (int n = 0; n < s.samples; n++) {
                        for (int q = 0; q < pixels; q++) {
                            int h = q / s.w, w = q % s.w;
                            want += (double) dy[1 + n * dySample + o * pixels + q] * x[n * padded + c * ps + (h + t / 3) * wp + w + t % 3];
                        }
                    }
                    // A sum of samples x pixels terms below 1 in magnitude.
                    assertThat((double) dw[1 + (o * s.cin + c) * 9 + t]).as("%s dW[%d][%d][%d]", s, o, c, t)
                            .isCloseTo(want, within(2e-6 * s.samples * pixels));
                }
            }
        }
    }

    @Test
    void the_sums_of_two_calls_are_the_sums_of_one() {
        Assumptions.assumeTrue(Conv3x3WinogradGradient.fits(32, 4, 8, 8), "not 16 lanes");
        SplittableRandom r = new SplittableRandom(9);
        int xSample = 32 * 64, dySample = 4 * 64;
        float[] x = random(r, 6 * xSample);
        float[] dy = random(r, 6 * dySample);
        float[] scratch = new float[Conv3x3WinogradGradient.scratchLength(32, 4)];
        float[] one = new float[Conv3x3WinogradGradient.sumsLength(32, 4)], two = new float[one.length];
        Conv3x3WinogradGradient.accumulate(32, 4, 8, 8, x, 0, xSample, 64, dy, 0, dySample, 64, 6, one, scratch);
        Conv3x3WinogradGradient.accumulate(32, 4, 8, 8, x, 0, xSample, 64, dy, 0, dySample, 64, 4, two, scratch);
        Conv3x3WinogradGradient.accumulate(32, 4, 8, 8, x, 4 * xSample, xSample, 64, dy, 4 * dySample, dySample, 64, 2, two, scratch);
        for (int i = 0; i < one.length; i++) assertThat(two[i]).as("du[%d]", i).isCloseTo(one[i], within(1e-4f));
    }

    @Test
    void refuses_input_channels_that_are_not_whole_pairs_of_vectors() {
        Assumptions.assumeTrue(Conv3x3Winograd.fits(16, 16, 8, 8), "not 16 lanes");
        assertThat(Conv3x3WinogradGradient.fits(16, 16, 8, 8)).isFalse();
        assertThatThrownBy(() -> Conv3x3WinogradGradient.accumulate(16, 16, 8, 8, new float[10000], 0, 0, 64,
                new float[10000], 0, 0, 64, 1, new float[4096], new float[100000])).hasMessageContaining("16 -> 16");
    }
}
