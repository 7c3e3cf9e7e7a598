package dev.nnlab.kernels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The direct 3x3 kernels against their plain loops on the same padded layout: one channel, channel
 * counts that leave a remainder after the blocks of 4, images of one row or one column, odd sizes
 * whose flat length ends in a partial tile, and several samples in one weight-gradient call.
 */
class Conv3x3Test {
    record Shape(int cin, int cout, int h, int w, int samples) {
        @Override
        public String toString() { return "C" + cin + " F" + cout + " " + h + "x" + w + " x" + samples; }
    }

    static List<Shape> awkward() {
        return List.of(
                new Shape(1, 1, 1, 1, 1),
                new Shape(1, 5, 5, 7, 3),    // a first layer: one channel in, a remainder of 1 filter
                new Shape(2, 9, 13, 11, 2),  // odd sizes, 2 blocks of 4 filters and a remainder
                new Shape(3, 8, 7, 5, 3),    // 8 filters: 2 forward blocks, gradient blocks of 3 with a remainder of 2
                new Shape(5, 1, 8, 8, 2),    // one filter out (the first layer's input-gradient pass)
                new Shape(3, 6, 1, 9, 1),    // a single row
                new Shape(2, 3, 9, 1, 4),    // a single column
                new Shape(6, 8, 14, 14, 3),  // W3's second convolution's image
                new Shape(4, 4, 32, 32, 1),  // ResNet's first stage
                new Shape(9, 13, 3, 5, 2),   // 6-row tiles with a remainder of 1 (13 filters) and of 3 (9 channels)
                new Shape(32, 64, 3, 5, 1),  // W3's channels: 12-row tiles with 4 left over, and with 8 flipped
                new Shape(2, 11, 3, 3, 2));  // a remainder of 11: a tile of 8 and 3 rows of a tile of 4
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("awkward")
    void forward_and_the_input_gradient_pass_match_the_plain_loops(Shape s) {
        SplittableRandom r = new SplittableRandom(s.hashCode());
        int ps = Conv3x3.planeStride(s.h, s.w), lq = Conv3x3.flatLength(s.h, s.w);
        float[] w = random(r, s.cout * s.cin * 9), bias = random(r, s.cout), packed = new float[w.length];
        for (boolean flip : new boolean[] {false, true}) {
            int ins = flip ? s.cout : s.cin, outs = flip ? s.cin : s.cout;
            // Channels s.samples planes apart, the image in the last of them, as in a group of samples.
            float[] x = padded(r, ins, s.h, s.w, s.samples, 2);
            int stride = s.samples * ps, at = 2 + (s.samples - 1) * ps;
            float[] b = flip ? null : bias;
            float[] got = new float[outs * lq + 1], want = new float[outs * lq + 1];
            Conv3x3.packWeights(s.cin, s.cout, w, 0, flip, packed);
            Conv3x3.forward(ins, outs, s.h, s.w, packed, b, 0, x, at, stride, got, 1);
            Conv3x3Reference.forward(s.cin, s.cout, s.h, s.w, w, flip, b, x, at, stride, want, 1);
            for (int o = 0; o < outs; o++) {
                for (int h = 0; h < s.h; h++) {
                    for (int c = 0; c < s.w; c++) {
                        int q = 1 + o * lq + h * Conv3x3.paddedWidth(s.w) + c;
                        assertThat(got[q]).as("%s flip=%s out %d (%d,%d)", s, flip, o, h, c)
                                .isCloseTo(want[q], within(1e-4f * (1 + Math.abs(want[q]))));
                    }
                }
            }
            assertThat(ps).isGreaterThanOrEqualTo(lq);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("awkward")
    void forward_as_an_implicit_product_matches_the_plain_loops(Shape s) {
        org.junit.jupiter.api.Assumptions.assumeTrue(VectorWidth.VECTORIZED, "SIMD off: no micro-kernel");
        SplittableRandom r = new SplittableRandom(s.hashCode() + 11);
        int ps = Conv3x3.planeStride(s.h, s.w), lq = Conv3x3.flatLength(s.h, s.w);
        float[] w = random(r, s.cout * s.cin * 9), bias = random(r, s.cout);
        for (boolean flip : new boolean[] {false, true}) {
            int ins = flip ? s.cout : s.cin, outs = flip ? s.cin : s.cout;
            float[] x = padded(r, ins, s.h, s.w, s.samples, 2);
            int stride = s.samples * ps, at = 2 + (s.samples - 1) * ps;
            float[] b = flip ? null : bias;
            float[] gw = new float[Conv3x3.gemmWeightsLength(s.cin, s.cout, flip)];
            java.util.Arrays.fill(gw, Float.NaN); // every float of it is written
            float[] scratch = new float[Conv3x3.gemmScratchLength(ins)];
            java.util.Arrays.fill(scratch, Float.NaN);
            float[] got = new float[outs * lq + 2], want = new float[outs * lq + 2];
            got[0] = 42f;
            got[got.length - 1] = 43f;
            Conv3x3.packGemmWeights(s.cin, s.cout, w, 0, b, 0, flip, gw);
            Conv3x3.forwardGemm(ins, outs, s.h, s.w, gw, x, at, stride, got, 1, scratch);
            Conv3x3Reference.forward(s.cin, s.cout, s.h, s.w, w, flip, b, x, at, stride, want, 1);
            for (int o = 0; o < outs; o++) {
                for (int h = 0; h < s.h; h++) {
                    for (int c = 0; c < s.w; c++) {
                        int q = 1 + o * lq + h * Conv3x3.paddedWidth(s.w) + c;
                        assertThat(got[q]).as("%s flip=%s out %d (%d,%d)", s, flip, o, h, c)
                                .isCloseTo(want[q], within(1e-4f * (1 + Math.abs(want[q]))));
                    }
                }
            }
            assertThat(got[0]).isEqualTo(42f);
            assertThat(got[got.length - 1]).isEqualTo(43f);
        }
    }

    /** Shapes whose width is a whole number of this JVM's vectors: {@link Conv3x3#forwardImage} writes them. */
    static List<Shape> imageTiled() {
        int l = Math.max(1, dev.nnlab.kernels.VectorWidth.bits() / 32);
        return List.of(
                new Shape(1, 5, 2, l, 1),       // a first layer: 2 rows of one vector, a filter remainder
                new Shape(3, 9, 8, l, 2),       // a tile spans two rows; 2 blocks of 4 filters and 1 more
                new Shape(2, 4, 1, 2 * l, 1),   // a single row of two vectors
                new Shape(5, 3, 3, 2 * l, 3),   // an odd row count, no filter block at all
                new Shape(4, 8, 4, 4 * l, 2));  // a tile within one row
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("imageTiled")
    void forward_into_images_matches_the_plain_loops_and_leaves_the_gaps_alone(Shape s) {
        org.junit.jupiter.api.Assumptions.assumeTrue(Conv3x3.imageTiled(s.h, s.w), "SIMD off: no image tiling");
        SplittableRandom r = new SplittableRandom(s.hashCode() + 7);
        int ps = Conv3x3.planeStride(s.h, s.w), lq = Conv3x3.flatLength(s.h, s.w), wp = Conv3x3.paddedWidth(s.w);
        int pixels = s.h * s.w, yStride = pixels + 3;
        float[] w = random(r, s.cout * s.cin * 9), bias = random(r, s.cout), packed = new float[w.length];
        for (boolean flip : new boolean[] {false, true}) {
            int ins = flip ? s.cout : s.cin, outs = flip ? s.cin : s.cout;
            float[] x = padded(r, ins, s.h, s.w, s.samples, 2);
            int stride = s.samples * ps, at = 2 + (s.samples - 1) * ps;
            float[] b = flip ? null : bias;
            float[] got = new float[1 + outs * yStride], want = new float[outs * lq];
            java.util.Arrays.fill(got, 42f);
            Conv3x3.packWeights(s.cin, s.cout, w, 0, flip, packed);
            Conv3x3.forwardImage(ins, outs, s.h, s.w, packed, b, 0, x, at, stride, got, 1, yStride);
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
            assertThat(got[0]).isEqualTo(42f);
        }
    }

    @org.junit.jupiter.api.Test
    void forward_into_images_refuses_a_width_that_is_not_whole_vectors() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Conv3x3.forwardImage(1, 1, 3, 3, new float[9], null, 0,
                new float[1000], 0, Conv3x3.planeStride(3, 3), new float[9], 0, 9)).hasMessageContaining("3x3");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("awkward")
    void the_weight_gradient_matches_the_plain_loops_and_adds(Shape s) {
        SplittableRandom r = new SplittableRandom(s.hashCode() + 1);
        float[] x = padded(r, s.cin, s.h, s.w, s.samples, 3), dy = padded(r, s.cout, s.h, s.w, s.samples, 0);
        float[] start = random(r, s.cout * s.cin * 9 + 2);
        float[] got = start.clone(), want = start.clone();
        int stride = s.samples * Conv3x3.planeStride(s.h, s.w);
        Conv3x3.weightGradient(s.cin, s.cout, s.h, s.w, s.samples, dy, 0, stride, x, 3, stride, got, 2);
        Conv3x3Reference.weightGradient(s.cin, s.cout, s.h, s.w, s.samples, dy, 0, stride, x, 3, stride, want, 2);
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).as("%s dw[%d]", s, i).isCloseTo(want[i], within(1e-4f * (1 + Math.abs(want[i]))));
        }
        assertThat(got[0]).isEqualTo(start[0]);
        assertThat(got[1]).isEqualTo(start[1]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("awkward")
    void the_weight_gradient_as_a_product_matches_the_plain_loops_sample_by_sample_and_adds(Shape s) {
        SplittableRandom r = new SplittableRandom(s.hashCode() + 5);
        int ps = Conv3x3.planeStride(s.h, s.w), pixels = s.h * s.w;
        float[] start = random(r, s.cout * s.cin * 9 + 2);
        float[] got = start.clone(), want = start.clone();
        // Stale values in the packing buffer must not leak: it is filled with garbage first.
        float[] pd = new float[Conv3x3.packedGradientLength(s.cout, s.h, s.w) + 3];
        java.util.Arrays.fill(pd, Float.NaN);
        float[] dwT = new float[9 * s.cin * Conv3x3.gradientColumns(s.cout)];
        for (int k = 0; k < s.samples; k++) {
            float[] x = padded(r, s.cin, s.h, s.w, 1, 3);
            float[] image = random(r, s.cout * pixels + 1);
            float[] dy = new float[(s.cout + 1) * ps];
            Conv3x3.pad(s.cout, s.h, s.w, image, 1, dy, 0, ps);
            Conv3x3Reference.weightGradient(s.cin, s.cout, s.h, s.w, 1, dy, 0, ps, x, 3, ps, want, 2);
            Conv3x3.packGradient(s.cout, s.h, s.w, image, 1, pd, 3);
            Conv3x3.weightGradientGemm(s.cin, s.cout, s.h, s.w, pd, 3, x, 3, ps, dwT);
        }
        Conv3x3.addTransposed(s.cin, s.cout, dwT, got, 2);
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).as("%s dw[%d]", s, i).isCloseTo(want[i], within(1e-4f * (1 + Math.abs(want[i]))));
        }
        assertThat(got[0]).isEqualTo(start[0]);
        assertThat(got[1]).isEqualTo(start[1]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("awkward")
    void the_packed_gradient_is_the_images_position_major_with_zeros_past_them(Shape s) {
        SplittableRandom r = new SplittableRandom(s.hashCode() + 9);
        int wp = Conv3x3.paddedWidth(s.w), lq = Conv3x3.flatLength(s.h, s.w), nr = Conv3x3.gradientPanel(), pixels = s.h * s.w;
        float[] image = random(r, s.cout * pixels + 2);
        float[] got = new float[Conv3x3.packedGradientLength(s.cout, s.h, s.w) + 4];
        java.util.Arrays.fill(got, Float.NaN);
        Conv3x3.packGradient(s.cout, s.h, s.w, image, 2, got, 3);
        for (int f = 0; f < Conv3x3.gradientColumns(s.cout); f++) {
            for (int q = 0; q < lq; q++) {
                int oh = q / wp, ow = q % wp;
                float want = f < s.cout && oh < s.h && ow < s.w ? image[2 + f * pixels + oh * s.w + ow] : 0f;
                assertThat(got[3 + f / nr * lq * nr + q * nr + f % nr]).as("%s f=%d q=%d", s, f, q).isEqualTo(want);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void the_12_row_gradient_tile_adds_the_same_bits_as_two_6_row_tiles() {
        SplittableRandom r = new SplittableRandom(11);
        int L = Conv3x3.gradientPanel() / 2, kc = 37, cs = 50, ldc = 2 * Conv3x3.gradientPanel() + 3;
        float[] x = random(r, 5 + 3 * cs + kc + 2), b = random(r, 7 + kc * 2 * L);
        float[] start = random(r, 4 + 38 * ldc), tile = start.clone(), pairs = start.clone();
        Conv3x3.gradient4x3x2(kc, x, 5, cs, b, 7, tile, 4, ldc);
        int[] xs = new int[12], cs12 = new int[12];
        for (int k = 0; k < 4; k++) {
            for (int j = 0; j < 3; j++) {
                xs[3 * k + j] = 5 + k * cs + j;
                cs12[3 * k + j] = 4 + (9 * k + j) * ldc;
            }
        }
        // The 6-row tile on each row (its six rows the same), its first row's sum added as the 12-row tile adds it.
        for (int row = 0; row < 12; row++) {
            float[] scratch = new float[6 * 2 * L];
            Conv3x3.gradient6x2(kc, x, xs[row], xs[row], xs[row], xs[row], xs[row], xs[row], b, 7, scratch, 0, 2 * L);
            for (int l = 0; l < 2 * L; l++) pairs[cs12[row] + l] += scratch[l];
        }
        assertThat(tile).containsExactly(pairs);
    }

    /**
     * {@code samples} random images of {@code channels} channels in padded planes after {@code off} leading
     * floats, channel-major (a channel's planes one per sample), and one plane of zeros after the last.
     */
    static float[] padded(SplittableRandom r, int channels, int h, int w, int samples, int off) {
        int ps = Conv3x3.planeStride(h, w);
        float[] out = new float[off + (samples * channels + 1) * ps];
        for (int s = 0; s < samples; s++) {
            Conv3x3.pad(channels, h, w, random(r, channels * h * w), 0, out, off + s * ps, samples * ps);
        }
        return out;
    }

    static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextDouble(-1, 1);
        return a;
    }
}
