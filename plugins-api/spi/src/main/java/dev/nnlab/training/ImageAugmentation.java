package dev.nnlab.training;

import dev.nnlab.nn.Range;
import dev.nnlab.spi.ParamSpec;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * Data augmentation of image batches, applied on the fly to each training batch (never to
 * validation or test data) in the batch buffer, so the stored data set is never changed and no
 * augmented copy is kept. Each transform is drawn per sample from a generator determined by the
 * run's seed and the step alone, so a run is reproducible and a resumed one sees the same batches.
 *
 * <p>In this order, each off at its default:
 * <ul>
 *   <li>{@code augFlip}: mirror left-right with probability 1/2 (for objects, not for digits or text);</li>
 *   <li>{@code augCropPad} P: pad P pixels of 0 on every side and crop the original size at a random
 *       offset, i.e. shift by up to P pixels each way (the CIFAR recipe of He et al. 2016 uses 4);</li>
 *   <li>{@code augScale} s &lt; 1: crop a random square-ish window of s..1 times each side and stretch it back
 *       to the full size by bilinear interpolation (a random zoom in);</li>
 *   <li>{@code augErase} p: with probability p, set a random rectangle of 2-40% of the image (aspect ratio
 *       0.3-3.3) to 0 in every channel (Zhong et al. 2020's random erasing, with the constant 0 as the fill: black after
 *       scaling, the mean after centering).</li>
 * </ul>
 * Images are {@code (B, C, H, W)}; a batch of any other rank is left alone (the planner offers the
 * parameters only to image families).
 *
 * <p>Stability: evolving; more transforms may be added, each off by default.
 */
public final class ImageAugmentation {
    public static final Range CROP_PAD = Range.closed(0, 16);
    public static final Range SCALE = Range.openClosed(0, 1);
    public static final Range ERASE = Range.closed(0, 1);
    static final double ERASE_MIN_AREA = 0.02, ERASE_MAX_AREA = 0.4, ERASE_MIN_ASPECT = 0.3, ERASE_MAX_ASPECT = 1 / 0.3;

    public static final ParamSpec FLIP = ParamSpec.ofBool("augFlip", false,
            "Augmentation of training batches: mirror each image left-right with probability 1/2.");
    public static final ParamSpec CROP = ParamSpec.ofInt("augCropPad", 0,
            "Augmentation: pad this many zero pixels on each side and crop back at a random offset (a random shift); 0 = off.")
            .within(CROP_PAD);
    public static final ParamSpec SCALE_MIN = ParamSpec.ofFloat("augScale", 1.0,
            "Augmentation: crop a random window of this to 1 times each side and stretch it to the full size; 1 = off.")
            .within(SCALE);
    public static final ParamSpec ERASE_P = ParamSpec.ofFloat("augErase", 0.0,
            "Augmentation: probability of setting a random rectangle (2-40% of the image) to 0; 0 = off.").within(ERASE);
    /**
     * {@code preprocess} for convolutional families: every choice but pca_whiten, which projects each
     * image onto principal components and so returns flat vectors, not (C, H, W) images.
     */
    public static final ParamSpec PREPROCESS_IMAGES = ParamSpec.ofChoice("preprocess", "scale",
            List.of("scale", "center", "standardize", "none"),
            "Input preprocessing, fitted on the training part only: scale pixels to [0,1]; center (scale, then subtract "
                    + "the mean); standardize (zero mean, unit variance per pixel); none. (pca_whiten is not offered: it "
                    + "turns images into flat vectors, which a convolution cannot take.)");
    /** The parameters an image family adds to its schema to offer augmentation (and {@link #PREPROCESS_IMAGES}). */
    public static final List<ParamSpec> PARAMS = List.of(PREPROCESS_IMAGES, FLIP, CROP, SCALE_MIN, ERASE_P);

    private final boolean flip;
    private final int cropPad;
    private final float scale;
    private final float erase;
    private final Rng rng;
    private float[] scratch = new float[0];

    public ImageAugmentation(boolean flip, int cropPad, float scale, float erase, long seed) {
        this.flip = flip;
        this.cropPad = CROP_PAD.require("augmentation", CROP.name(), cropPad);
        this.scale = SCALE.require("augmentation", SCALE_MIN.name(), scale);
        this.erase = ERASE.require("augmentation", ERASE_P.name(), erase);
        this.rng = new Rng(seed).fork(0xA06_3E47L);
    }

    /** The augmentation resolved parameters ask for, or null when they name none or turn every transform off. */
    public static ImageAugmentation fromParams(Map<String, Object> resolved, long seed) {
        if (!resolved.containsKey(FLIP.name())) return null;
        ImageAugmentation a = new ImageAugmentation((Boolean) resolved.get(FLIP.name()),
                ((Number) resolved.get(CROP.name())).intValue(), ((Number) resolved.get(SCALE_MIN.name())).floatValue(),
                ((Number) resolved.get(ERASE_P.name())).floatValue(), seed);
        return a.active() ? a : null;
    }

    public boolean active() { return flip || cropPad > 0 || scale < 1 || erase > 0; }

    /** Augments the {@code (B, C, H, W)} images of training step {@code step} in place. */
    public void apply(Tensor batch, long step) {
        int[] s = batch.shape();
        if (s.length != 4 || !active()) return;
        int b = s[0], c = s[1], h = s[2], w = s[3], size = c * h * w;
        Rng r = rng.fork(step);
        float[] x = batch.data;
        for (int i = 0; i < b; i++) {
            int o = batch.offset + i * size;
            if (flip && r.nextDouble() < 0.5) flip(x, o, c, h, w);
            if (cropPad > 0) shift(x, o, c, h, w, r.nextInt(2 * cropPad + 1) - cropPad, r.nextInt(2 * cropPad + 1) - cropPad);
            if (scale < 1) {
                int ch = Math.max(1, Math.round(h * r.uniform(scale, 1f))), cw = Math.max(1, Math.round(w * r.uniform(scale, 1f)));
                zoom(x, o, c, h, w, r.nextInt(h - ch + 1), r.nextInt(w - cw + 1), ch, cw);
            }
            if (erase > 0 && r.nextDouble() < erase) erase(x, o, c, h, w, r);
        }
    }

    /** Mirrors one image left-right. */
    static void flip(float[] x, int o, int c, int h, int w) {
        for (int row = 0; row < c * h; row++) {
            for (int lo = o + row * w, hi = lo + w - 1; lo < hi; lo++, hi--) {
                float t = x[lo];
                x[lo] = x[hi];
                x[hi] = t;
            }
        }
    }

    /** out(y, x) = in(y + dy, x + dx), 0 outside: the crop at offset (P + dy, P + dx) of the zero-padded image. */
    void shift(float[] x, int o, int c, int h, int w, int dy, int dx) {
        if (dy == 0 && dx == 0) return;
        copyToScratch(x, o, c * h * w);
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                int sy = y + dy, dst = o + (ch * h + y) * w;
                for (int xx = 0; xx < w; xx++) {
                    int sx = xx + dx;
                    x[dst + xx] = sy >= 0 && sy < h && sx >= 0 && sx < w ? scratch[(ch * h + sy) * w + sx] : 0f;
                }
            }
        }
    }

    private void copyToScratch(float[] x, int o, int size) {
        if (scratch.length < size) scratch = new float[size];
        System.arraycopy(x, o, scratch, 0, size);
    }

    /** Stretches the window (top, left, ch x cw) over the whole image, bilinear with pixel centres aligned. */
    void zoom(float[] x, int o, int c, int h, int w, int top, int left, int ch, int cw) {
        if (ch == h && cw == w) return;
        copyToScratch(x, o, c * h * w);
        for (int y = 0; y < h; y++) {
            float sy = Math.clamp((y + 0.5f) * ch / h - 0.5f, 0f, ch - 1);
            int y0 = (int) sy, y1 = Math.min(y0 + 1, ch - 1);
            float fy = sy - y0;
            for (int xx = 0; xx < w; xx++) {
                float sx = Math.clamp((xx + 0.5f) * cw / w - 0.5f, 0f, cw - 1);
                int x0 = (int) sx, x1 = Math.min(x0 + 1, cw - 1);
                float fx = sx - x0;
                for (int k = 0; k < c; k++) {
                    int base = k * h * w;
                    float a = scratch[base + (top + y0) * w + left + x0], b = scratch[base + (top + y0) * w + left + x1];
                    float d = scratch[base + (top + y1) * w + left + x0], e = scratch[base + (top + y1) * w + left + x1];
                    x[o + base + y * w + xx] = (a * (1 - fx) + b * fx) * (1 - fy) + (d * (1 - fx) + e * fx) * fy;
                }
            }
        }
    }

    /** Sets one random rectangle to 0 in every channel; up to 10 draws for one that fits inside the image. */
    static void erase(float[] x, int o, int c, int h, int w, Rng r) {
        for (int attempt = 0; attempt < 10; attempt++) {
            double area = h * w * (ERASE_MIN_AREA + r.nextDouble() * (ERASE_MAX_AREA - ERASE_MIN_AREA));
            double aspect = Math.exp(Math.log(ERASE_MIN_ASPECT) + r.nextDouble() * Math.log(ERASE_MAX_ASPECT / ERASE_MIN_ASPECT));
            int eh = (int) Math.round(Math.sqrt(area * aspect)), ew = (int) Math.round(Math.sqrt(area / aspect));
            if (eh < 1 || ew < 1 || eh > h || ew > w) continue;
            fill(x, o, c, h, w, r.nextInt(h - eh + 1), r.nextInt(w - ew + 1), eh, ew);
            return;
        }
    }

    static void fill(float[] x, int o, int c, int h, int w, int top, int left, int eh, int ew) {
        for (int k = 0; k < c; k++) {
            for (int y = top; y < top + eh; y++) {
                int row = o + (k * h + y) * w;
                java.util.Arrays.fill(x, row + left, row + left + ew, 0f);
            }
        }
    }
}
