package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Conv3x3}'s products ({@link Conv3x3#forwardGemm}, {@link Conv3x3#weightGradientGemm}) over the image's own
 * pixels instead of flat rows, for small images whose width is not a whole number of vectors (ResNet's 8x8 stage on
 * 16-lane vectors). A flat row {@code w + 2} wide computes two thrown-away columns per row and rounds the plane up to
 * whole tiles: on 8x8, 96 positions for 64 pixels in the weight gradient and 96 in forward. Here the patches of each
 * strip of 2 vectors of pixels are gathered from the padded planes first (rows of w floats, shifted per tap: a copy
 * of {@code 9 cin} short runs, 1/cout of the arithmetic), and the products then run on exactly the pixels.
 *
 * <p>Each output is the same sum in the same order as through the flat paths (forward: the taps in packed order, the
 * bias last; weight gradient: the pixels in order), so the bits only differ where the flat paths added the
 * products of a zero column.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class Conv3x3Patches {
    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private static final int L = S.length();
    /** Pixels per strip: the micro-kernel's 2 vectors. */
    private static final int NR = 2 * L;

    private Conv3x3Patches() {}

    /** True when these paths run this size: SIMD on and the image a whole number of strips of 2 vectors. */
    public static boolean fits(int height, int width) {
        return Conv3x3.gemmAvailable() && (height * width) % NR == 0;
    }

    /** Scratch floats {@link #forward} needs: {@link Conv3x3#gemmScratchLength}. */
    public static int scratchLength(int ins) { return Conv3x3.gemmScratchLength(ins); }

    /** Floats of {@link #patchRows}: {@code 9 cin} rows of {@code h w} pixels. */
    public static int patchRowsLength(int cin, int height, int width) { return 9 * cin * height * width; }

    /** Floats of {@link #packGradient}: {@link Conv3x3#gradientColumns} x {@code h w}. */
    public static int packedGradientLength(int cout, int height, int width) {
        return Conv3x3.gradientColumns(cout) * height * width;
    }

    /**
     * {@link Conv3x3#forwardGemm} written straight into images: {@code y[o][p] = sum W[o][c][i][j] x[c][p + (i-1, j-1)]
     * + bias[o]} for the {@code h w} pixels p, channel o at {@code yOff + o h w}; {@code gemmWeights} from
     * {@link Conv3x3#packGemmWeights}, x in the planes of {@link #toMargins}.
     */
    public static void forward(int cin, int cout, int height, int width, float[] gemmWeights,
                               float[] x, float[] y, int yOff, float[] scratch) {
        if (!fits(height, width)) throw new IllegalArgumentException("Conv3x3Patches needs whole strips of " + NR + " pixels, got " + height + "x" + width);
        MicroKernel kernel = Conv3x3.KERNEL;
        int pixels = height * width;
        int mr = kernel.mr(), kc = 9 * cin + 1, strip = kc * NR;
        Conv3x3Wide.checkRange("x", x, 0, cin * marginStride(height, width));
        Conv3x3Wide.checkRange("y", y, yOff, cout * pixels);
        Conv3x3Wide.checkRange("scratch", scratch, 0, scratchLength(cin));
        Conv3x3Wide.checkRange("gemmWeights", gemmWeights, 0, Conv3x3.gemmWeightsLength(cin, cout, false));
        java.util.Arrays.fill(scratch, strip - NR, strip, 1f);
        int full = cout / mr * mr;
        boolean[] first = edge(height, width, 0), last = edge(height, width, width - 1);
        for (int p0 = 0; p0 < pixels; p0 += NR) {
            gather(cin, height, width, x, p0, NR, scratch, 0, first, last);
            int yq = yOff + p0;
            for (int o = 0; o < full; o += mr) kernel.multiplyRows(kc, gemmWeights, o * kc, kc, scratch, 0, 1f, 0f, y, yq + o * pixels, pixels);
            int o = full;
            if (mr > 8) {
                for (; o + 8 <= cout; o += 8) Conv3x3.rows8x2(kc, gemmWeights, o * kc, scratch, y, yq + o * pixels, pixels);
            }
            for (; o + 4 <= cout; o += 4) Conv3x3.rows4x2(kc, gemmWeights, o * kc, scratch, y, yq + o * pixels, pixels);
            if (o < cout) {
                Conv3x3.rows4x2(kc, gemmWeights, o * kc, scratch, scratch, strip, NR);
                for (int r = o; r < cout; r++) System.arraycopy(scratch, strip + (r - o) * NR, y, yq + r * pixels, NR);
            }
        }
    }

    /**
     * Zeros either side of each channel's image in {@link #toMargins}' planes: at least a row and a pixel, so that
     * every tap's shifted read of a vector of pixels stays inside the channel's plane, in whole vectors.
     */
    static int margin(int width) { return roundUp(width + 1, L); }

    /** Floats per channel of {@link #toMargins}' planes: the image and a margin of zeros either side. */
    public static int marginStride(int height, int width) { return height * width + 2 * margin(width); }

    /**
     * Copies {@code channels} images {@code (h, w)} from {@code src} into planes {@link #marginStride} apart in dst,
     * each between two margins of zeros (written once, when dst was allocated, and left alone here).
     */
    public static void toMargins(int channels, int height, int width, float[] src, int srcOff, float[] dst) {
        int pixels = height * width, stride = marginStride(height, width), m = margin(width);
        Conv3x3Wide.checkRange("src", src, srcOff, channels * pixels);
        Conv3x3Wide.checkRange("dst", dst, 0, channels * stride);
        for (int c = 0; c < channels; c++) ShortCopy.copy(src, srcOff + c * pixels, dst, c * stride + m, pixels);
    }

    /**
     * Writes the patches of pixels [p0, p0 + n) (whole vectors): row {@code r = 9 c + 3 i + j} at {@code dOff + r n}
     * holds {@code x[c][p + (i-1, j-1)]}, zero outside the image, for those pixels, read from {@link #toMargins}' planes.
     * A tap's run is the image shifted along its flat pixels: the rows above and below fall into the margins, and the
     * lanes that wrap round a row end (column 0 for j = 0, column w-1 for j = 2) are blended to zero.
     */
    private static void gather(int cin, int height, int width, float[] x, int p0, int n, float[] dst, int dOff,
                               boolean[] first, boolean[] last) {
        int stride = marginStride(height, width), m = margin(width);
        FloatVector zero = FloatVector.zero(S);
        for (int c = 0; c < cin; c++) {
            int plane = c * stride + m;
            for (int t = 0; t < 9; t++) {
                int i = t / 3, j = t % 3, src = plane + (i - 1) * width + (j - 1), d = dOff + (c * 9 + t) * n - p0;
                boolean[] drop = j == 0 ? first : last;
                for (int p = p0; p < p0 + n; p += L) {
                    FloatVector v = FloatVector.fromArray(S, x, src + p);
                    if (j != 1) v = v.blend(zero, VectorMask.fromArray(S, drop, p));
                    v.intoArray(dst, d + p);
                }
            }
        }
    }

    /** Which pixels of an image lie in column {@code col}: the lanes a tap that wraps round a row end must drop. */
    private static boolean[] edge(int height, int width, int col) {
        boolean[] e = new boolean[height * width];
        for (int p = col; p < e.length; p += width) e[p] = true;
        return e;
    }

    private static int roundUp(int x, int m) { return (x + m - 1) / m * m; }

    /**
     * The im2col rows of one sample for {@link #weightGradient}: {@code 9 cin} rows of the image's {@code h w} pixels,
     * row {@code 9 c + 3 i + j} holding {@code x[c][p + (i-1, j-1)]}, from the planes of {@link #toMargins}.
     */
    public static void patchRows(int cin, int height, int width, float[] x, float[] rows) {
        if (!fits(height, width)) throw new IllegalArgumentException("Conv3x3Patches needs whole strips of " + NR + " pixels, got " + height + "x" + width);
        Conv3x3Wide.checkRange("x", x, 0, cin * marginStride(height, width));
        Conv3x3Wide.checkRange("rows", rows, 0, patchRowsLength(cin, height, width));
        gather(cin, height, width, x, 0, height * width, rows, 0, edge(height, width, 0), edge(height, width, width - 1));
    }

    /**
     * One sample's output gradient {@code dy (cout, h, w)} for {@link #weightGradient}: panels of 2 vectors of
     * channels, pixel-major ({@code [panel][p][channel % 2L]}), the channels past cout zero.
     */
    public static void packGradient(int cout, int height, int width, float[] dy, int dyOff, float[] dst) {
        int pixels = height * width, cols = Conv3x3.gradientColumns(cout);
        Conv3x3Wide.checkRange("dy", dy, dyOff, cout * pixels);
        Conv3x3Wide.checkRange("dst", dst, 0, cols * pixels);
        for (int f0 = 0; f0 < cols; f0 += NR) {
            int base = f0 * pixels, f1 = Math.min(cout, f0 + NR);
            if (f1 - f0 < NR) java.util.Arrays.fill(dst, base, base + NR * pixels, 0f);
            for (int p = 0; p < pixels; p++) {
                int d = base + p * NR - f0;
                for (int f = f0; f < f1; f++) dst[d + f] = dy[dyOff + f * pixels + p];
            }
        }
    }

    /**
     * {@code dwT[9 c + 3 i + j][o] += sum_p rows[9 c + 3 i + j][p] dy[o][p]}: {@link Conv3x3#weightGradientGemm} on
     * the rows of {@link #patchRows} and the gradient of {@link #packGradient}; {@link Conv3x3#addTransposed} adds
     * dwT to a {@code (cout, cin, 3, 3)} gradient.
     */
    public static void weightGradient(int cin, int cout, int height, int width, float[] packedDy, float[] rows, float[] dwT) {
        int pixels = height * width, cols = Conv3x3.gradientColumns(cout), k = 9 * cin;
        if (!fits(height, width)) throw new IllegalArgumentException("Conv3x3Patches needs whole strips of " + NR + " pixels, got " + height + "x" + width);
        Conv3x3Wide.checkRange("packedDy", packedDy, 0, cols * pixels);
        Conv3x3Wide.checkRange("rows", rows, 0, k * pixels);
        Conv3x3Wide.checkRange("dwT", dwT, 0, k * cols);
        for (int p = 0; p < cols; p += NR) {
            int b = p * pixels, r = 0;
            for (; r + 6 <= k; r += 6) {
                int x0 = r * pixels;
                Conv3x3.gradient6x2(pixels, rows, x0, x0 + pixels, x0 + 2 * pixels, x0 + 3 * pixels, x0 + 4 * pixels, x0 + 5 * pixels,
                        packedDy, b, dwT, r * cols + p, cols);
            }
            for (; r < k; r++) Conv3x3.gradient1x2(pixels, rows, r * pixels, packedDy, b, dwT, r * cols + p);
        }
    }
}
