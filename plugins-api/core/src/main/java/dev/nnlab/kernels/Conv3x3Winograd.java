package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Conv3x3#forwardImage} by Winograd's minimal filtering F(2x2, 3x3) (Lavin and Gray, "Fast Algorithms for
 * Convolutional Neural Networks", 2016): each 2x2 block of output pixels of one output channel is
 * {@code A^T [sum_c (G g_c G^T) . (B^T d_c B)] A}, where {@code d_c} is the 4x4 patch of input channel c under the
 * block and {@code g_c} the 3x3 filter. The 16 products per block and channel replace 36 multiply-adds: the
 * convolution becomes 16 independent products {@code M[xi] = U[xi] V[xi]} (one per position xi of the 4x4 transform),
 * {@code (cout x cin) (cin x tiles)}, 2.25 times fewer multiply-adds than the direct kernels, plus the transforms,
 * which are additions only and cost the same per pixel whatever the channel counts (so the more channels, the larger
 * the gain).
 *
 * <p>It is the same function up to rounding, not the same bits: the transforms add and subtract inputs before they
 * are weighted. {@code Conv3x3WinogradTest} bounds the difference against the plain loops.
 *
 * <p>Layout: input and output are images, not padded (as {@link Conv3x3#forwardImage}'s output). A
 * vector holds 16 consecutive tiles (2x2 output blocks) of one sample in the image's tile order: one tile row or part
 * of one (32 pixels wide and more), two tile rows (16 wide) or four (8 wide). The input transform reads runs of the
 * padded rows and splits them into even and odd columns with two-vector shuffles; the output transform interleaves
 * the two columns of each block back. Blocks of {@value #BLOCK_TILES} tiles, across samples where an image has fewer,
 * are transformed, multiplied in {@link Conv3x3Wide}'s register tile (4 output channels x 4 vectors of tiles,
 * broadcasting the transformed weights) and transformed back while they are in cache.
 *
 * <p>Runs at 16 lanes (512 bits), for even sides, widths of 8, 16 or a multiple of 32, images of a multiple of 16
 * tiles and channel counts that are multiples of 4 ({@link #fits}).
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class Conv3x3Winograd {
    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private static final int L = S.length();
    private static final int BLOCK = Conv3x3.BLOCK;
    /** Positions of the 4x4 transform. */
    public static final int POSITIONS = 16;
    /**
     * Tiles transformed, multiplied and transformed back at a time (one register tile of the products): whole images
     * at once wrote 256 kB of transformed input per sample at 16 channels of 32x32, and the input transform ran 4
     * times slower than without its stores.
     */
    static final int BLOCK_TILES = 64;

    private Conv3x3Winograd() {}

    /** True when {@link #forward} runs this shape (see the class comment). */
    public static boolean fits(int cin, int cout, int height, int width) {
        if (L != 16 || !VectorWidth.VECTORIZED || height < 2 || height % 2 != 0 || width < 2 || width % 2 != 0) return false;
        int tw = width / 2;
        return (tw == 4 || tw == 8 || tw == L) && tiles(height, width) % L == 0
                && cin > 0 && cin % BLOCK == 0 && cout > 0 && cout % BLOCK == 0;
    }

    /** 2x2 output blocks per image. */
    public static int tiles(int height, int width) {
        return (height / 2) * (width / 2);
    }

    /** Floats of transformed weights for {@link #packWeights}. */
    public static int weightsLength(int cin, int cout) {
        return POSITIONS * cin * cout;
    }

    /** Floats of scratch {@link #forward} needs: a block's transformed input and its 16 products. */
    public static int scratchLength(int cin, int cout) {
        return POSITIONS * (plane(cin) + plane(cout));
    }

    /**
     * Floats from one position's block to the next in the transformed input and in the products, both stored
     * {@code [xi][channel][tile]}: a block of tiles of every channel, and one vector more so that the 16 positions of a
     * tile do not fall on multiples of 4 kB (the same L1 sets; at 16 channels, without it, the input transform's 16
     * stores per vector of tiles took twice as long).
     */
    static int plane(int channels) {
        return channels * BLOCK_TILES + L;
    }

    /**
     * Transforms weights {@code (cout, cin, 3, 3)} into {@code U = G g G^T} per pair of channels, stored
     * {@code [xi][block of 4 outputs][input][4]} for the products' broadcasts. With {@code flipTranspose} it transforms
     * the weights of the input-gradient pass instead, a convolution from {@code cout} channels to {@code cin}:
     * {@code W'[c][f][i][j] = W[f][c][2-i][2-j]} (as {@link Conv3x3#packWeights}).
     */
    public static void packWeights(int cin, int cout, float[] w, int wOff, boolean flipTranspose, float[] dst) {
        int ins = flipTranspose ? cout : cin, outs = flipTranspose ? cin : cout;
        if (ins % BLOCK != 0 || outs % BLOCK != 0) throw new IllegalArgumentException("channels must be multiples of " + BLOCK);
        Conv3x3Wide.checkRange("w", w, wOff, cin * cout * 9);
        Conv3x3Wide.checkRange("dst", dst, 0, weightsLength(cin, cout));
        // Once per step and layer, so without arrays per filter: a float[12] per call was 1.2% of a W4 step.
        int stride = (outs / BLOCK) * ins * BLOCK;
        for (int o = 0; o < outs; o++) {
            for (int c = 0; c < ins; c++) {
                int at = flipTranspose ? wOff + (c * cin + o) * 9 + 8 : wOff + (o * cin + c) * 9, step = flipTranspose ? -1 : 1;
                float g0 = w[at], g1 = w[at + step], g2 = w[at + 2 * step], g3 = w[at + 3 * step], g4 = w[at + 4 * step];
                float g5 = w[at + 5 * step], g6 = w[at + 6 * step], g7 = w[at + 7 * step], g8 = w[at + 8 * step];
                int d = ((o / BLOCK) * ins + c) * BLOCK + o % BLOCK;
                transformRow(g0, g1, g2, dst, d, stride);
                transformRow(0.5f * (g0 + g3 + g6), 0.5f * (g1 + g4 + g7), 0.5f * (g2 + g5 + g8), dst, d + 4 * stride, stride);
                transformRow(0.5f * (g0 - g3 + g6), 0.5f * (g1 - g4 + g7), 0.5f * (g2 - g5 + g8), dst, d + 8 * stride, stride);
                transformRow(g6, g7, g8, dst, d + 12 * stride, stride);
            }
        }
    }

    /** One row of {@code (G g) G^T}: from a row (a, b, c) of {@code G g}, {@code [a, (a + b + c) / 2, (a - b + c) / 2, c]}, {@code stride} apart. */
    private static void transformRow(float a, float b, float c, float[] dst, int d, int stride) {
        dst[d] = a;
        dst[d + stride] = 0.5f * (a + b + c);
        dst[d + 2 * stride] = 0.5f * (a - b + c);
        dst[d + 3 * stride] = c;
    }

    /**
     * {@link Conv3x3#forwardImage}'s result, up to rounding, for {@code count} samples: sample s's {@code cin} images
     * ({@code channelStride} apart, not padded: the transform reads zeros past the edges) at {@code xOff + s xSample},
     * its {@code cout} images ({@code yStride} apart)
     * at {@code yOff + s ySample}, bias (null: none) added. {@code u} from {@link #packWeights}; {@code scratch} at least
     * {@link #scratchLength}.
     */
    public static void forward(int cin, int cout, int height, int width, float[] u, float[] bias, int biasOff,
                               float[] x, int xOff, int xSample, int channelStride,
                               float[] y, int yOff, int ySample, int yStride, int count, float[] scratch) {
        if (!fits(cin, cout, height, width)) {
            throw new IllegalArgumentException("Conv3x3Winograd.forward does not run " + cin + " -> " + cout + " channels of "
                    + height + "x" + width + " at " + L + " lanes");
        }
        int pixels = height * width, tiles = tiles(height, width);
        if (channelStride < pixels || yStride < pixels || count < 1) throw new IllegalArgumentException("stride too small, or no samples");
        Conv3x3Wide.checkRange("u", u, 0, weightsLength(cin, cout));
        Conv3x3Wide.checkRange("x", x, xOff, (count - 1) * xSample + (cin - 1) * channelStride + pixels);
        Conv3x3Wide.checkRange("y", y, yOff, (count - 1) * ySample + (cout - 1) * yStride + pixels);
        Conv3x3Wide.checkRange("scratch", scratch, 0, scratchLength(cin, cout));
        if (bias != null) Conv3x3Wide.checkRange("bias", bias, biasOff, cout);
        int products = POSITIONS * plane(cin), total = count * tiles, vectors = BLOCK_TILES / L;
        for (int g = 0; g < total; g += BLOCK_TILES) {
            for (int k = 0; k < vectors; k++) {
                int t = g + k * L, s = t / tiles;
                if (t < total) transformInput(cin, height, width, x, xOff + s * xSample, channelStride, t - s * tiles, scratch, k * L);
                else clearInput(cin, scratch, k * L);
            }
            multiply(cin, cout, u, scratch, 0, scratch, products);
            for (int k = 0; k < vectors && g + k * L < total; k++) {
                int t = g + k * L, s = t / tiles;
                transformOutput(cout, height, width, t - s * tiles, scratch, products + k * L, bias, biasOff,
                        y, yOff + s * ySample, yStride);
            }
        }
    }

    /** Zeros for a vector of the block past the last sample: its products are computed and never read. */
    static void clearInput(int cin, float[] v, int vOff) {
        int plane = plane(cin);
        for (int xi = 0; xi < POSITIONS; xi++) {
            for (int c = 0; c < cin; c++) {
                int d = vOff + xi * plane + c * BLOCK_TILES;
                java.util.Arrays.fill(v, d, d + L, 0f);
            }
        }
    }

    /** Where tile t's 2x2 block starts in an image {@code width} wide. */
    private static int blockAt(int t, int tileWidth, int width) {
        return 2 * (t / tileWidth) * width + 2 * (t % tileWidth);
    }

    private static final VectorShuffle<Float> EVENS = Conv3x3Stride2Wide.EVENS, ODDS = Conv3x3Stride2Wide.ODDS;
    /** Lane i takes column 2i - 1 (the even tile columns' left neighbours) and 2i + 2 of two vectors one after the other. */
    private static final VectorShuffle<Float> BACK_ONE_COLUMN = Conv3x3Stride2Wide.selector(i -> 2 * i - 1),
            AHEAD_ONE_COLUMN = Conv3x3Stride2Wide.selector(i -> 2 * i + 2);
    /** Lanes whose column -1 or W falls outside the image: the first and last tile of a row (of each half, 16 wide). */
    private static final VectorMask<Float> FIRST_LANE = VectorMask.fromLong(S, 1L), LAST_LANE = VectorMask.fromLong(S, 1L << (L - 1)),
            HALF_STARTS = VectorMask.fromLong(S, 1L | 1L << (L / 2)), HALF_ENDS = VectorMask.fromLong(S, 1L << (L / 2 - 1) | 1L << (L - 1)),
            HIGH_HALF = S.indexInRange(-L / 2, L / 2);
    /** A row of zeros to read for the rows above and below the image: a load from here rather than a branch between vectors. */
    private static final float[] ZEROS = new float[4 * L];

    /**
     * For an image 8 wide (4 tiles per row, 4 tile rows per vector): lanes 0-7 ({@code high} false) take column
     * {@code 2 tx + j - 1} of the image row in the low half of the first input (tx = 0..3) and then of the second; lanes
     * 8-15 ({@code high}) the same of the first input's low half and the second's high half. A column past either edge
     * takes any lane, zeroed after.
     */
    private static VectorShuffle<Float> quarterColumns(int j, boolean high) {
        return Conv3x3Stride2Wide.selector(i -> {
            int k = high ? i - L / 2 : i;
            if (k < 0 || k >= L / 2) return 0;
            int col = 2 * (k % 4) + j - 1;
            if (col < 0 || col >= 8) return 0;
            return k < 4 ? col : L + (high ? L / 2 : 0) + col;
        });
    }

    private static final VectorShuffle<Float> Q0 = quarterColumns(0, false), Q1 = quarterColumns(1, false),
            Q2 = quarterColumns(2, false), Q3 = quarterColumns(3, false), Q0H = quarterColumns(0, true),
            Q1H = quarterColumns(1, true), Q2H = quarterColumns(2, true), Q3H = quarterColumns(3, true);
    /** An 8-wide image's tiles that read column -1 (the first of each row) and column 8 (the last). */
    private static final VectorMask<Float> FIRST_TILES = VectorMask.fromLong(S, L == 16 ? 0x1111L : 0L),
            LAST_TILES = VectorMask.fromLong(S, L == 16 ? 0x8888L : 0L);
    /** Lanes 0-7 of two inputs one after the other, and lanes 8-15 of both. */
    private static final VectorShuffle<Float> LOW_HALVES = Conv3x3Stride2Wide.selector(i -> i < L / 2 ? i : L + i - L / 2),
            HIGH_HALVES = Conv3x3Stride2Wide.selector(i -> i < L / 2 ? L / 2 + i : L + i);

    /**
     * {@code V[xi][c][t] = (B^T d B)[xi]} for the vector of 16 tiles from tile {@code t0} of one sample (images at
     * {@code xOff}, {@code cs} apart), every channel, into lane offset {@code vOff} of the block,
     * {@code B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]}. Tile (ty, tx) reads image rows 2 ty - 1 to 2 ty + 2 and
     * columns 2 tx - 1 to 2 tx + 2: the padding is never copied (the copies into padded planes were 9% of a W4 step);
     * rows outside the image are read from {@link #ZEROS}, columns outside are zeroed lanes. Whole image rows are
     * loaded and split into the four columns of each tile by shuffles.
     */
    static void transformInput(int cin, int height, int width, float[] x, int xOff, int cs, int t0, float[] v, int vOff) {
        int plane = plane(cin);
        if (width == 8) inputQuarters(cin, height, x, xOff, cs, t0, v, vOff, plane);
        else if (width == 16) inputRowPair(cin, height, width, x, xOff, cs, t0, v, vOff, plane);
        else inputRow(cin, height, width, x, xOff, cs, t0, v, vOff, plane);
    }

    /** 32 wide: the vector is one tile row; each patch row is one image row of 32 floats, two vectors. */
    private static void inputRow(int cin, int height, int width, float[] x, int xOff, int cs, int t0, float[] v, int vOff, int plane) {
        int ya = 2 * (t0 / 16) - 1, yb = ya; // image row of the patch's first row
        for (int c = 0; c < cin; c++) {
            int at = xOff + c * cs, d = vOff + c * BLOCK_TILES;
            FloatVector c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33;
            {
                int ra = ya + 0, rb = yb + 0;
                float[] sa = ra >= 0 && ra < height ? x : ZEROS, sb = rb >= 0 && rb < height ? x : ZEROS;
                int a = sa == x ? at + ra * width : 0, b = sb == x ? at + rb * width + L : 0;
                FloatVector r0 = FloatVector.fromArray(S, sa, a), r1 = FloatVector.fromArray(S, sb, b);
                FloatVector e = r0.rearrange(BACK_ONE_COLUMN, r1).blend(0f, FIRST_LANE), o = r0.rearrange(EVENS, r1);
                FloatVector e2 = r0.rearrange(ODDS, r1), o2 = r0.rearrange(AHEAD_ONE_COLUMN, r1).blend(0f, LAST_LANE);
                c00 = e.sub(e2); c01 = o.add(e2); c02 = e2.sub(o); c03 = o.sub(o2);
            }
            {
                int ra = ya + 1, rb = yb + 1;
                float[] sa = ra >= 0 && ra < height ? x : ZEROS, sb = rb >= 0 && rb < height ? x : ZEROS;
                int a = sa == x ? at + ra * width : 0, b = sb == x ? at + rb * width + L : 0;
                FloatVector r0 = FloatVector.fromArray(S, sa, a), r1 = FloatVector.fromArray(S, sb, b);
                FloatVector e = r0.rearrange(BACK_ONE_COLUMN, r1).blend(0f, FIRST_LANE), o = r0.rearrange(EVENS, r1);
                FloatVector e2 = r0.rearrange(ODDS, r1), o2 = r0.rearrange(AHEAD_ONE_COLUMN, r1).blend(0f, LAST_LANE);
                c10 = e.sub(e2); c11 = o.add(e2); c12 = e2.sub(o); c13 = o.sub(o2);
            }
            {
                int ra = ya + 2, rb = yb + 2;
                float[] sa = ra >= 0 && ra < height ? x : ZEROS, sb = rb >= 0 && rb < height ? x : ZEROS;
                int a = sa == x ? at + ra * width : 0, b = sb == x ? at + rb * width + L : 0;
                FloatVector r0 = FloatVector.fromArray(S, sa, a), r1 = FloatVector.fromArray(S, sb, b);
                FloatVector e = r0.rearrange(BACK_ONE_COLUMN, r1).blend(0f, FIRST_LANE), o = r0.rearrange(EVENS, r1);
                FloatVector e2 = r0.rearrange(ODDS, r1), o2 = r0.rearrange(AHEAD_ONE_COLUMN, r1).blend(0f, LAST_LANE);
                c20 = e.sub(e2); c21 = o.add(e2); c22 = e2.sub(o); c23 = o.sub(o2);
            }
            {
                int ra = ya + 3, rb = yb + 3;
                float[] sa = ra >= 0 && ra < height ? x : ZEROS, sb = rb >= 0 && rb < height ? x : ZEROS;
                int a = sa == x ? at + ra * width : 0, b = sb == x ? at + rb * width + L : 0;
                FloatVector r0 = FloatVector.fromArray(S, sa, a), r1 = FloatVector.fromArray(S, sb, b);
                FloatVector e = r0.rearrange(BACK_ONE_COLUMN, r1).blend(0f, FIRST_LANE), o = r0.rearrange(EVENS, r1);
                FloatVector e2 = r0.rearrange(ODDS, r1), o2 = r0.rearrange(AHEAD_ONE_COLUMN, r1).blend(0f, LAST_LANE);
                c30 = e.sub(e2); c31 = o.add(e2); c32 = e2.sub(o); c33 = o.sub(o2);
            }
            c00.sub(c20).intoArray(v, d);
            c01.sub(c21).intoArray(v, d + plane);
            c02.sub(c22).intoArray(v, d + 2 * plane);
            c03.sub(c23).intoArray(v, d + 3 * plane);
            d += 4 * plane;
            c10.add(c20).intoArray(v, d);
            c11.add(c21).intoArray(v, d + plane);
            c12.add(c22).intoArray(v, d + 2 * plane);
            c13.add(c23).intoArray(v, d + 3 * plane);
            d += 4 * plane;
            c20.sub(c10).intoArray(v, d);
            c21.sub(c11).intoArray(v, d + plane);
            c22.sub(c12).intoArray(v, d + 2 * plane);
            c23.sub(c13).intoArray(v, d + 3 * plane);
            d += 4 * plane;
            c10.sub(c30).intoArray(v, d);
            c11.sub(c31).intoArray(v, d + plane);
            c12.sub(c32).intoArray(v, d + 2 * plane);
            c13.sub(c33).intoArray(v, d + 3 * plane);
        }
    }

    /** 16 wide: lanes 0-7 are one tile row, 8-15 the next; each patch row is a vector from each. */
    private static void inputRowPair(int cin, int height, int width, float[] x, int xOff, int cs, int t0, float[] v, int vOff, int plane) {
        int ya = 2 * (t0 / 8) - 1, yb = ya + 2;
        for (int c = 0; c < cin; c++) {
            int at = xOff + c * cs, d = vOff + c * BLOCK_TILES;
            FloatVector c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33;
            {
                int ra = ya + 0, rb = yb + 0;
                float[] sa = ra >= 0 && ra < height ? x : ZEROS, sb = rb >= 0 && rb < height ? x : ZEROS;
                int a = sa == x ? at + ra * width : 0, b = sb == x ? at + rb * width : 0;
                FloatVector r0 = FloatVector.fromArray(S, sa, a), r1 = FloatVector.fromArray(S, sb, b);
                FloatVector e = r0.rearrange(BACK_ONE_COLUMN, r1).blend(0f, HALF_STARTS), o = r0.rearrange(EVENS, r1);
                FloatVector e2 = r0.rearrange(ODDS, r1), o2 = r0.rearrange(AHEAD_ONE_COLUMN, r1).blend(0f, HALF_ENDS);
                c00 = e.sub(e2); c01 = o.add(e2); c02 = e2.sub(o); c03 = o.sub(o2);
            }
            {
                int ra = ya + 1, rb = yb + 1;
                float[] sa = ra >= 0 && ra < height ? x : ZEROS, sb = rb >= 0 && rb < height ? x : ZEROS;
                int a = sa == x ? at + ra * width : 0, b = sb == x ? at + rb * width : 0;
                FloatVector r0 = FloatVector.fromArray(S, sa, a), r1 = FloatVector.fromArray(S, sb, b);
                FloatVector e = r0.rearrange(BACK_ONE_COLUMN, r1).blend(0f, HALF_STARTS), o = r0.rearrange(EVENS, r1);
                FloatVector e2 = r0.rearrange(ODDS, r1), o2 = r0.rearrange(AHEAD_ONE_COLUMN, r1).blend(0f, HALF_ENDS);
                c10 = e.sub(e2); c11 = o.add(e2); c12 = e2.sub(o); c13 = o.sub(o2);
            }
            {
                int ra = ya + 2, rb = yb + 2;
                float[] sa = ra >= 0 && ra < height ? x : ZEROS, sb = rb >= 0 && rb < height ? x : ZEROS;
                int a = sa == x ? at + ra * width : 0, b = sb == x ? at + rb * width : 0;
                FloatVector r0 = FloatVector.fromArray(S, sa, a), r1 = FloatVector.fromArray(S, sb, b);
                FloatVector e = r0.rearrange(BACK_ONE_COLUMN, r1).blend(0f, HALF_STARTS), o = r0.rearrange(EVENS, r1);
                FloatVector e2 = r0.rearrange(ODDS, r1), o2 = r0.rearrange(AHEAD_ONE_COLUMN, r1).blend(0f, HALF_ENDS);
                c20 = e.sub(e2); c21 = o.add(e2); c22 = e2.sub(o); c23 = o.sub(o2);
            }
            {
                int ra = ya + 3, rb = yb + 3;
                float[] sa = ra >= 0 && ra < height ? x : ZEROS, sb = rb >= 0 && rb < height ? x : ZEROS;
                int a = sa == x ? at + ra * width : 0, b = sb == x ? at + rb * width : 0;
                FloatVector r0 = FloatVector.fromArray(S, sa, a), r1 = FloatVector.fromArray(S, sb, b);
                FloatVector e = r0.rearrange(BACK_ONE_COLUMN, r1).blend(0f, HALF_STARTS), o = r0.rearrange(EVENS, r1);
                FloatVector e2 = r0.rearrange(ODDS, r1), o2 = r0.rearrange(AHEAD_ONE_COLUMN, r1).blend(0f, HALF_ENDS);
                c30 = e.sub(e2); c31 = o.add(e2); c32 = e2.sub(o); c33 = o.sub(o2);
            }
            c00.sub(c20).intoArray(v, d);
            c01.sub(c21).intoArray(v, d + plane);
            c02.sub(c22).intoArray(v, d + 2 * plane);
            c03.sub(c23).intoArray(v, d + 3 * plane);
            d += 4 * plane;
            c10.add(c20).intoArray(v, d);
            c11.add(c21).intoArray(v, d + plane);
            c12.add(c22).intoArray(v, d + 2 * plane);
            c13.add(c23).intoArray(v, d + 3 * plane);
            d += 4 * plane;
            c20.sub(c10).intoArray(v, d);
            c21.sub(c11).intoArray(v, d + plane);
            c22.sub(c12).intoArray(v, d + 2 * plane);
            c23.sub(c13).intoArray(v, d + 3 * plane);
            d += 4 * plane;
            c10.sub(c30).intoArray(v, d);
            c11.sub(c31).intoArray(v, d + plane);
            c12.sub(c32).intoArray(v, d + 2 * plane);
            c13.sub(c33).intoArray(v, d + 3 * plane);
        }
    }

    /**
     * 8 wide: 16 tiles in four tile rows; for each row of the patch, image rows 2 ty - 1 + i of the four (two apart):
     * the first three in the low halves of vectors read from their starts, the fourth in the high half of a vector read
     * from the row before it (a vector from its start would run past the image).
     */
    private static void inputQuarters(int cin, int height, float[] x, int xOff, int cs, int t0, float[] v, int vOff, int plane) {
        int r = 2 * (t0 / 4) - 1;
        for (int c = 0; c < cin; c++) {
            int at = xOff + c * cs, d = vOff + c * BLOCK_TILES;
            FloatVector c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33;
            {
                int r0 = r + 0, r3 = r + 0 + 6;
                float[] s0 = r0 >= 0 ? x : ZEROS, s3 = r3 < height ? x : ZEROS;
                int q = at + r0 * 8;
                FloatVector p0 = FloatVector.fromArray(S, s0, s0 == x ? q : 0), p1 = FloatVector.fromArray(S, x, q + 16);
                FloatVector p2 = FloatVector.fromArray(S, x, q + 32), p3 = FloatVector.fromArray(S, s3, s3 == x ? q + 40 : 0);
                FloatVector e = p0.rearrange(Q0, p1).blend(p2.rearrange(Q0H, p3), HIGH_HALF).blend(0f, FIRST_TILES);
                FloatVector o = p0.rearrange(Q1, p1).blend(p2.rearrange(Q1H, p3), HIGH_HALF);
                FloatVector e2 = p0.rearrange(Q2, p1).blend(p2.rearrange(Q2H, p3), HIGH_HALF);
                FloatVector o2 = p0.rearrange(Q3, p1).blend(p2.rearrange(Q3H, p3), HIGH_HALF).blend(0f, LAST_TILES);
                c00 = e.sub(e2); c01 = o.add(e2); c02 = e2.sub(o); c03 = o.sub(o2);
            }
            {
                int r0 = r + 1, r3 = r + 1 + 6;
                float[] s0 = r0 >= 0 ? x : ZEROS, s3 = r3 < height ? x : ZEROS;
                int q = at + r0 * 8;
                FloatVector p0 = FloatVector.fromArray(S, s0, s0 == x ? q : 0), p1 = FloatVector.fromArray(S, x, q + 16);
                FloatVector p2 = FloatVector.fromArray(S, x, q + 32), p3 = FloatVector.fromArray(S, s3, s3 == x ? q + 40 : 0);
                FloatVector e = p0.rearrange(Q0, p1).blend(p2.rearrange(Q0H, p3), HIGH_HALF).blend(0f, FIRST_TILES);
                FloatVector o = p0.rearrange(Q1, p1).blend(p2.rearrange(Q1H, p3), HIGH_HALF);
                FloatVector e2 = p0.rearrange(Q2, p1).blend(p2.rearrange(Q2H, p3), HIGH_HALF);
                FloatVector o2 = p0.rearrange(Q3, p1).blend(p2.rearrange(Q3H, p3), HIGH_HALF).blend(0f, LAST_TILES);
                c10 = e.sub(e2); c11 = o.add(e2); c12 = e2.sub(o); c13 = o.sub(o2);
            }
            {
                int r0 = r + 2, r3 = r + 2 + 6;
                float[] s0 = r0 >= 0 ? x : ZEROS, s3 = r3 < height ? x : ZEROS;
                int q = at + r0 * 8;
                FloatVector p0 = FloatVector.fromArray(S, s0, s0 == x ? q : 0), p1 = FloatVector.fromArray(S, x, q + 16);
                FloatVector p2 = FloatVector.fromArray(S, x, q + 32), p3 = FloatVector.fromArray(S, s3, s3 == x ? q + 40 : 0);
                FloatVector e = p0.rearrange(Q0, p1).blend(p2.rearrange(Q0H, p3), HIGH_HALF).blend(0f, FIRST_TILES);
                FloatVector o = p0.rearrange(Q1, p1).blend(p2.rearrange(Q1H, p3), HIGH_HALF);
                FloatVector e2 = p0.rearrange(Q2, p1).blend(p2.rearrange(Q2H, p3), HIGH_HALF);
                FloatVector o2 = p0.rearrange(Q3, p1).blend(p2.rearrange(Q3H, p3), HIGH_HALF).blend(0f, LAST_TILES);
                c20 = e.sub(e2); c21 = o.add(e2); c22 = e2.sub(o); c23 = o.sub(o2);
            }
            {
                int r0 = r + 3, r3 = r + 3 + 6;
                float[] s0 = r0 >= 0 ? x : ZEROS, s3 = r3 < height ? x : ZEROS;
                int q = at + r0 * 8;
                FloatVector p0 = FloatVector.fromArray(S, s0, s0 == x ? q : 0), p1 = FloatVector.fromArray(S, x, q + 16);
                FloatVector p2 = FloatVector.fromArray(S, x, q + 32), p3 = FloatVector.fromArray(S, s3, s3 == x ? q + 40 : 0);
                FloatVector e = p0.rearrange(Q0, p1).blend(p2.rearrange(Q0H, p3), HIGH_HALF).blend(0f, FIRST_TILES);
                FloatVector o = p0.rearrange(Q1, p1).blend(p2.rearrange(Q1H, p3), HIGH_HALF);
                FloatVector e2 = p0.rearrange(Q2, p1).blend(p2.rearrange(Q2H, p3), HIGH_HALF);
                FloatVector o2 = p0.rearrange(Q3, p1).blend(p2.rearrange(Q3H, p3), HIGH_HALF).blend(0f, LAST_TILES);
                c30 = e.sub(e2); c31 = o.add(e2); c32 = e2.sub(o); c33 = o.sub(o2);
            }
            c00.sub(c20).intoArray(v, d);
            c01.sub(c21).intoArray(v, d + plane);
            c02.sub(c22).intoArray(v, d + 2 * plane);
            c03.sub(c23).intoArray(v, d + 3 * plane);
            d += 4 * plane;
            c10.add(c20).intoArray(v, d);
            c11.add(c21).intoArray(v, d + plane);
            c12.add(c22).intoArray(v, d + 2 * plane);
            c13.add(c23).intoArray(v, d + 3 * plane);
            d += 4 * plane;
            c20.sub(c10).intoArray(v, d);
            c21.sub(c11).intoArray(v, d + plane);
            c22.sub(c12).intoArray(v, d + 2 * plane);
            c23.sub(c13).intoArray(v, d + 3 * plane);
            d += 4 * plane;
            c10.sub(c30).intoArray(v, d);
            c11.sub(c31).intoArray(v, d + plane);
            c12.sub(c32).intoArray(v, d + 2 * plane);
            c13.sub(c33).intoArray(v, d + 3 * plane);
        }
    }

    /**
     * {@code M[xi][o][t] = sum_c U[xi][o][c] V[xi][c][t]} for a block of tiles and the 16 positions, 4 outputs x 4
     * vectors of tiles at a time.
     */
    static void multiply(int cin, int cout, float[] u, float[] v, int vOff, float[] m, int mOff) {
        int blocks = cout / BLOCK, vPlane = plane(cin), mPlane = plane(cout);
        for (int xi = 0; xi < POSITIONS; xi++) {
            for (int ob = 0; ob < blocks; ob++) {
                int ui = (xi * blocks + ob) * cin * BLOCK, mi = mOff + xi * mPlane + ob * BLOCK * BLOCK_TILES;
                for (int t = 0; t < BLOCK_TILES; t += 4 * L) {
                    multiply4x4(cin, u, ui, v, vOff + xi * vPlane + t, m, mi + t);
                }
            }
        }
    }

    /** 4 outputs x 4 vectors of tiles, channels and outputs a block's tiles apart. */
    private static void multiply4x4(int cin, float[] u, int ui, float[] v, int vi, float[] m, int mi) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        for (int c = 0; c < cin; c++, vi += BLOCK_TILES, ui += BLOCK) {
            FloatVector x0 = FloatVector.fromArray(S, v, vi);
            FloatVector x1 = FloatVector.fromArray(S, v, vi + L);
            FloatVector x2 = FloatVector.fromArray(S, v, vi + 2 * L);
            FloatVector x3 = FloatVector.fromArray(S, v, vi + 3 * L);
            FloatVector w = FloatVector.broadcast(S, u[ui]);
            a00 = x0.fma(w, a00); a01 = x1.fma(w, a01); a02 = x2.fma(w, a02); a03 = x3.fma(w, a03);
            w = FloatVector.broadcast(S, u[ui + 1]);
            a10 = x0.fma(w, a10); a11 = x1.fma(w, a11); a12 = x2.fma(w, a12); a13 = x3.fma(w, a13);
            w = FloatVector.broadcast(S, u[ui + 2]);
            a20 = x0.fma(w, a20); a21 = x1.fma(w, a21); a22 = x2.fma(w, a22); a23 = x3.fma(w, a23);
            w = FloatVector.broadcast(S, u[ui + 3]);
            a30 = x0.fma(w, a30); a31 = x1.fma(w, a31); a32 = x2.fma(w, a32); a33 = x3.fma(w, a33);
        }
        a00.intoArray(m, mi); a01.intoArray(m, mi + L); a02.intoArray(m, mi + 2 * L); a03.intoArray(m, mi + 3 * L);
        mi += BLOCK_TILES;
        a10.intoArray(m, mi); a11.intoArray(m, mi + L); a12.intoArray(m, mi + 2 * L); a13.intoArray(m, mi + 3 * L);
        mi += BLOCK_TILES;
        a20.intoArray(m, mi); a21.intoArray(m, mi + L); a22.intoArray(m, mi + 2 * L); a23.intoArray(m, mi + 3 * L);
        mi += BLOCK_TILES;
        a30.intoArray(m, mi); a31.intoArray(m, mi + L); a32.intoArray(m, mi + 2 * L); a33.intoArray(m, mi + 3 * L);
    }

    /**
     * {@code y = A^T M A + b} for the vector of 16 tiles from tile {@code t0} of one sample (images at {@code yOff}), every
     * output, from lane offset {@code mOff} of the block's products, {@code A^T = [1 1 1 0; 0 1 -1 -1]}; the two columns
     * of each 2x2 block interleaved back into rows.
     */
    static void transformOutput(int cout, int height, int width, int t0, float[] m, int mOff, float[] bias, int biasOff,
                                float[] y, int yOff, int yStride) {
        int tw = width / 2, plane = plane(cout);
        VectorShuffle<Float> lo = Conv3x3Stride2Wide.ZIP_LO, hi = Conv3x3Stride2Wide.ZIP_HI;
        int ba = yOff + blockAt(t0, tw, width), bb = yOff + blockAt(t0 + L / 2, tw, width);
        for (int o = 0; o < cout; o++) {
            FloatVector b = FloatVector.broadcast(S, bias == null ? 0f : bias[biasOff + o]);
            int q = mOff + o * BLOCK_TILES;
            FloatVector s0, s1, s2, s3, d0, d1, d2, d3;
            {
                FloatVector m0 = FloatVector.fromArray(S, m, q), m1 = FloatVector.fromArray(S, m, q + 4 * plane);
                FloatVector m2 = FloatVector.fromArray(S, m, q + 8 * plane), m3 = FloatVector.fromArray(S, m, q + 12 * plane);
                s0 = m0.add(m1).add(m2); d0 = m1.sub(m2).sub(m3);
            }
            q += plane;
            {
                FloatVector m0 = FloatVector.fromArray(S, m, q), m1 = FloatVector.fromArray(S, m, q + 4 * plane);
                FloatVector m2 = FloatVector.fromArray(S, m, q + 8 * plane), m3 = FloatVector.fromArray(S, m, q + 12 * plane);
                s1 = m0.add(m1).add(m2); d1 = m1.sub(m2).sub(m3);
            }
            q += plane;
            {
                FloatVector m0 = FloatVector.fromArray(S, m, q), m1 = FloatVector.fromArray(S, m, q + 4 * plane);
                FloatVector m2 = FloatVector.fromArray(S, m, q + 8 * plane), m3 = FloatVector.fromArray(S, m, q + 12 * plane);
                s2 = m0.add(m1).add(m2); d2 = m1.sub(m2).sub(m3);
            }
            q += plane;
            {
                FloatVector m0 = FloatVector.fromArray(S, m, q), m1 = FloatVector.fromArray(S, m, q + 4 * plane);
                FloatVector m2 = FloatVector.fromArray(S, m, q + 8 * plane), m3 = FloatVector.fromArray(S, m, q + 12 * plane);
                s3 = m0.add(m1).add(m2); d3 = m1.sub(m2).sub(m3);
            }
            FloatVector y00 = s0.add(s1).add(s2).add(b), y01 = s1.sub(s2).sub(s3).add(b);
            FloatVector y10 = d0.add(d1).add(d2).add(b), y11 = d1.sub(d2).sub(d3).add(b);
            FloatVector top0 = y00.rearrange(lo, y01), bottom0 = y10.rearrange(lo, y11);
            FloatVector top1 = y00.rearrange(hi, y01), bottom1 = y10.rearrange(hi, y11);
            int r = ba + o * yStride;
            if (tw == 4) {
                // 8 wide: each interleaved vector is two tile rows' top (or bottom) rows; rows 2 ty and 2 ty + 1 are 16 floats in a row.
                top0.rearrange(LOW_HALVES, bottom0).intoArray(y, r);
                top0.rearrange(HIGH_HALVES, bottom0).intoArray(y, r + 2 * width);
                top1.rearrange(LOW_HALVES, bottom1).intoArray(y, r + 4 * width);
                top1.rearrange(HIGH_HALVES, bottom1).intoArray(y, r + 6 * width);
                continue;
            }
            int r1 = bb + o * yStride;
            top0.intoArray(y, r);
            bottom0.intoArray(y, r + width);
            top1.intoArray(y, r1);
            bottom1.intoArray(y, r1 + width);
        }
    }
}
