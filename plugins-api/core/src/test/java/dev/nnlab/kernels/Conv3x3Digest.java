package dev.nnlab.kernels;

import java.util.SplittableRandom;

/**
 * A digest of the bits {@link Conv3x3}'s product paths ({@link Conv3x3#forwardGemm} both ways,
 * {@link Conv3x3#weightGradientGemm}) and its direct kernels produce on fixed operands of awkward shapes;
 * {@link Conv3x3TierTest} runs it in an interpreted child JVM and compares it with its own, taken after C2
 * has compiled the kernels.
 */
final class Conv3x3Digest {
    private Conv3x3Digest() {}

    public static void main(String[] args) {
        System.out.println(digest());
    }

    static String digest() {
        int[][] shapes = {{9, 13, 3, 5}, {1, 7, 2, 3}, {8, 32, 2, 6}};
        SplittableRandom r = new SplittableRandom(23);
        long h = 17;
        for (int[] s : shapes) {
            int cin = s[0], cout = s[1], height = s[2], width = s[3];
            int ps = Conv3x3.planeStride(height, width), lq = Conv3x3.flatLength(height, width);
            float[] w = random(cout * cin * 9, r), bias = random(cout, r);
            float[] x = new float[(cin + 1) * ps], dyImage = random(cout * height * width, r), dy = new float[(cout + 1) * ps];
            Conv3x3.pad(cin, height, width, random(cin * height * width, r), 0, x, 0, ps);
            Conv3x3.pad(cout, height, width, dyImage, 0, dy, 0, ps);
            float[] y = new float[cout * lq], dx = new float[cin * lq], direct = new float[cout * lq];
            float[] packed = new float[w.length];
            Conv3x3.packWeights(cin, cout, w, 0, false, packed);
            Conv3x3.forward(cin, cout, height, width, packed, bias, 0, x, 0, ps, direct, 0);
            if (Conv3x3.gemmAvailable()) {
                float[] gw = new float[Conv3x3.gemmWeightsLength(cin, cout, false)], gf = new float[Conv3x3.gemmWeightsLength(cin, cout, true)];
                Conv3x3.packGemmWeights(cin, cout, w, 0, bias, 0, false, gw);
                Conv3x3.packGemmWeights(cin, cout, w, 0, null, 0, true, gf);
                Conv3x3.forwardGemm(cin, cout, height, width, gw, x, 0, ps, y, 0, new float[Conv3x3.gemmScratchLength(cin)]);
                Conv3x3.forwardGemm(cout, cin, height, width, gf, dy, 0, ps, dx, 0, new float[Conv3x3.gemmScratchLength(cout)]);
            }
            float[] pd = new float[Conv3x3.packedGradientLength(cout, height, width)];
            float[] dwT = new float[9 * cin * Conv3x3.gradientColumns(cout)], dw = new float[w.length];
            Conv3x3.packGradient(cout, height, width, dyImage, 0, pd, 0);
            Conv3x3.weightGradientGemm(cin, cout, height, width, pd, 0, x, 0, ps, dwT);
            Conv3x3.addTransposed(cin, cout, dwT, dw, 0);
            float[] wide = new float[w.length];
            Conv3x3Wide.weightGradient(cin, cout, height, width, 1, dy, 0, ps, x, 0, ps, wide, 0);
            for (float v : wide) h = h * 31 + Float.floatToRawIntBits(v);
            for (float[] out : new float[][] {y, dx, direct, dw}) {
                for (float v : out) h = h * 31 + Float.floatToRawIntBits(v);
            }
        }
        // The products over an 8x8 image's own pixels (whole strips at every width up to 16 lanes).
        if (Conv3x3Patches.fits(8, 8)) {
            int cin = 5, cout = 13, pixels = 64;
            float[] w = random(cout * cin * 9, r), image = random(cin * pixels, r), dyImage = random(cout * pixels, r);
            float[] gw = new float[Conv3x3.gemmWeightsLength(cin, cout, false)], gf = new float[Conv3x3.gemmWeightsLength(cin, cout, true)];
            Conv3x3.packGemmWeights(cin, cout, w, 0, random(cout, r), 0, false, gw);
            Conv3x3.packGemmWeights(cin, cout, w, 0, null, 0, true, gf);
            float[] xm = new float[cin * Conv3x3Patches.marginStride(8, 8)], dym = new float[cout * Conv3x3Patches.marginStride(8, 8)];
            Conv3x3Patches.toMargins(cin, 8, 8, image, 0, xm);
            Conv3x3Patches.toMargins(cout, 8, 8, dyImage, 0, dym);
            float[] y = new float[cout * pixels], dx = new float[cin * pixels];
            Conv3x3Patches.forward(cin, cout, 8, 8, gw, xm, y, 0, new float[Conv3x3Patches.scratchLength(cin)]);
            Conv3x3Patches.forward(cout, cin, 8, 8, gf, dym, dx, 0, new float[Conv3x3Patches.scratchLength(cout)]);
            float[] rows = new float[Conv3x3Patches.patchRowsLength(cin, 8, 8)], pd = new float[Conv3x3Patches.packedGradientLength(cout, 8, 8)];
            float[] dwT = new float[9 * cin * Conv3x3.gradientColumns(cout)];
            Conv3x3Patches.patchRows(cin, 8, 8, xm, rows);
            Conv3x3Patches.packGradient(cout, 8, 8, dyImage, 0, pd);
            Conv3x3Patches.weightGradient(cin, cout, 8, 8, pd, rows, dwT);
            for (float[] out : new float[][] {y, dx, dwT}) {
                for (float v : out) h = h * 31 + Float.floatToRawIntBits(v);
            }
        }
        return Long.toHexString(h);
    }

    private static float[] random(int n, SplittableRandom r) {
        float[] x = new float[n];
        // Magnitudes far apart, so that another summation order rounds differently.
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(-3, 4)));
        return x;
    }
}
