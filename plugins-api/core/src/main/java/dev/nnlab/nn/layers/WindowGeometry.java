package dev.nnlab.nn.layers;

/**
 * The geometry of a sliding window (a convolution or pooling kernel) along one spatial axis:
 * {@code kernel} F, {@code stride} S and zero {@code padding} P. The one place the output-size
 * rule lives: {@code out = (in - F + 2P) / S + 1} (CS231n's {@code (W - F + 2P) / S + 1}).
 *
 * <p>{@link #outputSize} is strict: the division must be exact and the result at least 1, so that
 * every input pixel and every padded pixel is covered and none silently dropped. A stack the user
 * writes is held to that rule and refused before training with the numbers and the rule named.
 * {@link #flooredOutputSize} is PyTorch's floor division, for the few fixed architectures that rely
 * on dropping the last padded row: a CIFAR ResNet's stride-2 3x3 convolution with padding 1 maps 32
 * to 16, while {@code (32 - 3 + 2) / 2} is 15.5.
 *
 * <p>Stability: experimental (the CNN/ResNet families).
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public record WindowGeometry(int kernel, int stride, int padding) {

    public WindowGeometry {
        if (kernel < 1) throw new IllegalArgumentException("a window needs kernel >= 1, got " + kernel);
        if (stride < 1) throw new IllegalArgumentException("a window needs stride >= 1, got " + stride);
        if (padding < 0) throw new IllegalArgumentException("a window needs padding >= 0, got " + padding);
    }

    /** The output size along an axis of {@code in} pixels, or an exception naming the layer, the numbers and the rule. */
    public int outputSize(String layer, String axis, int in) {
        int span = in - kernel + 2 * padding;
        if (span < 0 || span % stride != 0) {
            throw new ShapeException(layer + ": " + axis + " " + in + " does not fit kernel " + kernel + ", stride "
                    + stride + ", padding " + padding + ": (" + axis + " - F + 2P) / S + 1 = (" + in + " - " + kernel
                    + " + " + 2 * padding + ") / " + stride + " + 1 = " + fraction(span, stride)
                    + ", which must be a positive integer");
        }
        return span / stride + 1;
    }

    /** Floor division, as PyTorch does; still refuses a window larger than the padded input. */
    public int flooredOutputSize(String layer, String axis, int in) {
        int span = in - kernel + 2 * padding;
        if (span < 0) {
            throw new ShapeException(layer + ": " + axis + " " + in + " plus padding " + padding + " on each side is smaller than kernel "
                    + kernel + ": (" + axis + " - F + 2P) / S + 1 = " + fraction(span, stride) + ", which must be at least 1");
        }
        return span / stride + 1;
    }

    private static String fraction(int span, int stride) {
        double v = (double) span / stride + 1;
        return v == Math.rint(v) ? Long.toString((long) v)
                : new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** A spatial shape that does not fit a window; thrown at build time, before any training. */
    public static final class ShapeException extends IllegalArgumentException {
        public ShapeException(String message) { super(message); }
    }

    /** A layer that slides a window over (C, H, W) input: what receptive-field arithmetic needs to know. */
    public interface Windowed {
        WindowGeometry geometry();
    }
}
