package dev.nnlab.nn.layers;

import dev.nnlab.kernels.Sgemm;
import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.init.He;
import dev.nnlab.nn.init.Initializer;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;

/**
 * 2-D convolution (cross-correlation, as every framework computes it). Input {@code (N, C, H, W)},
 * weight {@code (F, C, K, K)}, bias {@code (F)}, output {@code (N, F, OH, OW)} with
 * {@code OH = (H - K + 2P) / S + 1} by {@link WindowGeometry}. Parameters: {@code <name>.weight},
 * {@code <name>.bias}.
 *
 * <p>Each sample is lowered to a matrix by im2col, {@code col (C*K*K, OH*OW)}, so that all three
 * products are one {@link Sgemm} call each: {@code Y = W col}, {@code dW += dY col^T} and
 * {@code dcol = W^T dY}, which col2im adds back into {@code dx}. Backward rebuilds col rather than
 * keeping one per sample: im2col is cheap next to the products, and a ResNet batch would otherwise
 * hold K*K copies of every activation. (Channel-blocked layouts and a batch split across threads
 * are the next step; see the speed notes.)
 *
 * <p>Weights start He normal with fan-in {@code C*K*K} (the convolution's ReLU counterpart of Dense's
 * default); biases at zero.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class Conv2d implements Layer, WindowGeometry.Windowed {
    private final int filters;
    private final WindowGeometry geometry;
    private final boolean floored, hasBias;
    private final Initializer weightInit;
    private String name;
    private int channels, height, width, outHeight, outWidth, patch, pixels;
    private Tensor weight, weightGrad, bias, biasGrad;
    private float[] col, dcol;
    private Tensor x, y, dx;

    /** {@code filters} K x K filters at stride 1 with padding P, He init, with bias. */
    public Conv2d(int filters, int kernel, int padding) {
        this(filters, new WindowGeometry(kernel, 1, padding), true, new He(), false);
    }

    /**
     * @param floored use PyTorch's floor division for the output size instead of requiring an exact fit
     *                (see {@link WindowGeometry}); only fixed architectures that rely on it should say true
     */
    public Conv2d(int filters, WindowGeometry geometry, boolean bias, Initializer weightInit, boolean floored) {
        if (filters <= 0) throw new IllegalArgumentException("a convolution needs at least one filter, got " + filters);
        this.filters = filters;
        this.geometry = geometry;
        this.hasBias = bias;
        this.weightInit = weightInit;
        this.floored = floored;
    }

    @Override
    public int[] build(String name, int[] inputShape, Parameters.Builder params) {
        if (inputShape.length != 3) {
            throw new WindowGeometry.ShapeException(name + ": a convolution needs (C, H, W) samples, got "
                    + java.util.Arrays.toString(inputShape));
        }
        this.name = name;
        channels = inputShape[0];
        height = inputShape[1];
        width = inputShape[2];
        outHeight = floored ? geometry.flooredOutputSize(name, "H", height) : geometry.outputSize(name, "H", height);
        outWidth = floored ? geometry.flooredOutputSize(name, "W", width) : geometry.outputSize(name, "W", width);
        int k = geometry.kernel();
        patch = channels * k * k;
        pixels = outHeight * outWidth;
        params.add(name + ".weight", filters, channels, k, k);
        if (hasBias) params.add(name + ".bias", filters);
        col = new float[patch * pixels];
        dcol = new float[patch * pixels];
        return new int[] {filters, outHeight, outWidth};
    }

    @Override
    public void bind(Parameters params) {
        weight = params.value(name + ".weight");
        weightGrad = params.grad(name + ".weight");
        if (hasBias) {
            bias = params.value(name + ".bias");
            biasGrad = params.grad(name + ".bias");
        }
    }

    @Override
    public void initialize(Rng rng) {
        weightInit.fill(weight, patch, filters * geometry.kernel() * geometry.kernel(), rng);
        if (hasBias) bias.fill(0f);
    }

    /** {@code x (N, C, H, W)} -> {@code (N, F, OH, OW)}; keeps a reference to x for backward. */
    @Override
    public Tensor forward(Tensor x, boolean training) {
        int n = BatchBuffers.batchSize(x, channels * height * width, name);
        y = BatchBuffers.reuse(y, n, filters, outHeight, outWidth);
        int in = channels * height * width, out = filters * pixels;
        for (int s = 0; s < n; s++) {
            im2col(x.data, x.offset + s * in, col);
            Sgemm.gemm(false, false, filters, pixels, patch, 1f, weight.data, weight.offset, patch,
                    col, 0, pixels, 0f, y.data, y.offset + s * out, pixels);
            if (hasBias) {
                for (int f = 0; f < filters; f++) {
                    float b = bias.data[bias.offset + f];
                    int base = y.offset + s * out + f * pixels;
                    for (int p = 0; p < pixels; p++) y.data[base + p] += b;
                }
            }
        }
        this.x = x;
        return y;
    }

    /** {@code dy (N, F, OH, OW)} -> {@code dx (N, C, H, W)}; adds {@code dY col^T} to dW and the sums of dy per filter to db. */
    @Override
    public Tensor backward(Tensor dy) {
        BatchBuffers.sameSize(dy, y, name);
        int n = x.rows(), in = channels * height * width, out = filters * pixels;
        dx = BatchBuffers.reuse(dx, n, channels, height, width);
        dx.fill(0f);
        for (int s = 0; s < n; s++) {
            int dyOff = dy.offset + s * out;
            im2col(x.data, x.offset + s * in, col);
            Sgemm.gemm(false, true, filters, patch, pixels, 1f, dy.data, dyOff, pixels,
                    col, 0, pixels, 1f, weightGrad.data, weightGrad.offset, patch);
            Sgemm.gemm(true, false, patch, pixels, filters, 1f, weight.data, weight.offset, patch,
                    dy.data, dyOff, pixels, 0f, dcol, 0, pixels);
            col2imAdd(dcol, dx.data, dx.offset + s * in);
            if (hasBias) {
                for (int f = 0; f < filters; f++) {
                    float sum = 0;
                    for (int p = 0; p < pixels; p++) sum += dy.data[dyOff + f * pixels + p];
                    biasGrad.data[biasGrad.offset + f] += sum;
                }
            }
        }
        return dx;
    }

    /** {@code col[(c K + i) K + j][oh OW + ow] = x[c][oh S - P + i][ow S - P + j]}, zero outside the image. */
    private void im2col(float[] src, int off, float[] dst) {
        int k = geometry.kernel(), stride = geometry.stride(), pad = geometry.padding();
        int r = 0;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++, r++) {
                    int d = r * pixels;
                    for (int oh = 0; oh < outHeight; oh++) {
                        int h = oh * stride - pad + i;
                        if (h < 0 || h >= height) {
                            java.util.Arrays.fill(dst, d, d + outWidth, 0f);
                            d += outWidth;
                            continue;
                        }
                        int row = off + (c * height + h) * width;
                        for (int ow = 0; ow < outWidth; ow++, d++) {
                            int w = ow * stride - pad + j;
                            dst[d] = w >= 0 && w < width ? src[row + w] : 0f;
                        }
                    }
                }
            }
        }
    }

    /** The transpose of {@link #im2col}: every column entry is added back to the pixel it was read from. */
    private void col2imAdd(float[] src, float[] dst, int off) {
        int k = geometry.kernel(), stride = geometry.stride(), pad = geometry.padding();
        int r = 0;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++, r++) {
                    int d = r * pixels;
                    for (int oh = 0; oh < outHeight; oh++) {
                        int h = oh * stride - pad + i;
                        if (h < 0 || h >= height) {
                            d += outWidth;
                            continue;
                        }
                        int row = off + (c * height + h) * width;
                        for (int ow = 0; ow < outWidth; ow++, d++) {
                            int w = ow * stride - pad + j;
                            if (w >= 0 && w < width) dst[row + w] += src[d];
                        }
                    }
                }
            }
        }
    }

    @Override
    public WindowGeometry geometry() { return geometry; }

    public int filters() { return filters; }

    @Override
    public String kind() { return "conv"; }
}
