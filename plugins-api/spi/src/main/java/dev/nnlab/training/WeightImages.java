package dev.nnlab.training;

import dev.nnlab.spi.RunSink;
import dev.nnlab.tensor.Tensor;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;

/**
 * Pictures of what a linear layer looks for: each unit's incoming weights {@code W[:, j]} shaped
 * back into the input image, min-max scaled on its own to 0..255, tiled in a grid with a thin dark
 * border and enlarged {@value #SCALE}x (CS231n's picture of softmax templates; the first-layer
 * filters of an MLP). Works for inputs shaped {@code (H, W)}, {@code (1, H, W)} (grey) and
 * {@code (3, H, W)} (colour); other shapes are not images and get no picture.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class WeightImages {
    /** Each weight is drawn as a SCALE x SCALE block: 28x28 digits become readable 56x56 tiles. */
    public static final int SCALE = 2;
    /** Pixels between tiles and around the grid. */
    public static final int GAP = 2;
    /** Tiles per row once there are more than this many (up to 10 sit in one row, like CS231n's ten classes). */
    public static final int ROW = 10;

    private WeightImages() {}

    /** Whether inputs of {@code sampleShape} can be drawn: {@code (H, W)}, {@code (1, H, W)} or {@code (3, H, W)}. */
    public static boolean canShow(int[] sampleShape) {
        return sampleShape.length == 2 || (sampleShape.length == 3 && (sampleShape[0] == 1 || sampleShape[0] == 3));
    }

    /**
     * The first {@code maxUnits} columns of {@code weight (in, out)}, each drawn as an input image.
     *
     * @throws IllegalArgumentException when the sample shape is not an image or does not hold {@code in} values
     */
    public static BufferedImage grid(Tensor weight, int[] sampleShape, int maxUnits) {
        if (!canShow(sampleShape)) throw new IllegalArgumentException(java.util.Arrays.toString(sampleShape) + " is not an image shape");
        int in = weight.dim(0), out = weight.cols();
        int channels = sampleShape.length == 3 ? sampleShape[0] : 1;
        int h = sampleShape[sampleShape.length - 2], w = sampleShape[sampleShape.length - 1];
        if (channels * h * w != in) {
            throw new IllegalArgumentException("weights with " + in + " inputs do not fit images " + java.util.Arrays.toString(sampleShape));
        }
        int units = Math.min(out, maxUnits);
        int cols = Math.min(units, ROW), rows = (units + cols - 1) / cols;
        int tw = w * SCALE, th = h * SCALE;
        BufferedImage img = new BufferedImage(cols * tw + (cols + 1) * GAP, rows * th + (rows + 1) * GAP,
                channels == 3 ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
        float[] v = weight.data;
        java.awt.image.WritableRaster raster = img.getRaster();
        for (int u = 0; u < units; u++) {
            float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < in; i++) {
                float x = v[weight.offset + i * out + u];
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
            // A unit whose weights are all equal (never trained, or dead) is mid-grey, not a division by zero.
            float range = max > min ? max - min : 0f;
            int x0 = GAP + (u % cols) * (tw + GAP), y0 = GAP + (u / cols) * (th + GAP);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int[] levels = new int[channels];
                    for (int c = 0; c < channels; c++) {
                        float wv = v[weight.offset + ((c * h + y) * w + x) * out + u];
                        levels[c] = range == 0f ? 128 : Math.round((wv - min) / range * 255f);
                    }
                    // Samples straight into the raster: setRGB on a grey image would convert the levels
                    // from sRGB to linear grey and darken the mid-tones.
                    for (int dy = 0; dy < SCALE; dy++) {
                        for (int dx = 0; dx < SCALE; dx++) raster.setPixel(x0 + x * SCALE + dx, y0 + y * SCALE + dy, levels);
                    }
                }
            }
        }
        return img;
    }

    /**
     * Stores the grid of {@code weight}'s first {@code maxUnits} units as a PNG artifact, when the
     * inputs are images; does nothing otherwise.
     */
    public static void report(RunSink sink, String name, Tensor weight, int[] sampleShape, int maxUnits) {
        if (!canShow(sampleShape)) return;
        BufferedImage img = grid(weight, sampleShape, maxUnits);
        sink.artifact(name, "image/png", out -> {
            if (!ImageIO.write(img, "png", out)) throw new IOException("this JDK has no PNG writer");
        });
    }
}
