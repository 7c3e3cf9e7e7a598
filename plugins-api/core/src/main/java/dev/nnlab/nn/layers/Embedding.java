package dev.nnlab.nn.layers;

import dev.nnlab.kernels.VectorOps;
import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Range;
import dev.nnlab.nn.init.Gaussian;
import dev.nnlab.nn.init.Initializer;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;

/**
 * A lookup table of {@code vocab} vectors of {@code dim} floats: token ids {@code (N, T...)} ->
 * vectors {@code (N, T..., dim)}. Ids arrive as floats holding whole numbers in {@code [0, vocab)}
 * (exact up to 2^24, far beyond any vocabulary here), so a batch of ids is an ordinary tensor.
 * Parameter: {@code <name>.weight}, {@code (vocab, dim)}, initialised N(0, 1) as PyTorch's
 * {@code nn.Embedding}.
 *
 * <p>The table is row-sparse ({@link Parameters.Builder#addRowSparse}): backward adds {@code dy} into
 * the rows of the ids it saw and records them as touched, so zeroing, clipping and the optimizer step
 * visit those rows only. A batch of 64 x 35 tokens costs at most 2,240 rows of a 10,000 x 200 table,
 * not the 2 million floats of the whole gradient.
 *
 * <p>Ids carry no gradient: {@code backward} returns zeros of the input's shape, to keep the layer
 * contract (a layer before an embedding receives nothing to learn from).
 */
public final class Embedding implements Layer {
    /** Vocabulary size and vector width. */
    public static final Range SIZE = Range.atLeast(1);

    private final int vocab;
    private final int dim;
    private final Initializer init;
    private String name;
    private int[] inputShape, outputShape;
    private int positions;
    private Parameters.Entry entry;
    private Tensor table;
    private float[] grads;
    private Parameters.TouchedRows touched;
    private int[] ids = new int[0];
    private Tensor y, dx;

    public Embedding(int vocab, int dim) {
        this(vocab, dim, new Gaussian(1.0));
    }

    public Embedding(int vocab, int dim, Initializer init) {
        this.vocab = SIZE.require("embedding", "vocab", vocab);
        this.dim = SIZE.require("embedding", "dim", dim);
        this.init = init;
    }

    @Override
    public int[] build(String name, int[] inputShape, Parameters.Builder params) {
        this.name = name;
        this.inputShape = inputShape.clone();
        this.positions = Tensor.sizeOf(inputShape);
        if (positions == 0) throw new IllegalArgumentException(name + ": an embedding needs at least one id per sample");
        entry = params.addRowSparse(name + ".weight", vocab, dim);
        outputShape = java.util.Arrays.copyOf(inputShape, inputShape.length + 1);
        outputShape[inputShape.length] = dim;
        return outputShape.clone();
    }

    @Override
    public void bind(Parameters params) {
        table = params.value(entry);
        grads = params.grads;
        touched = params.touchedRows(params.entry(entry.name()));
    }

    @Override
    public void initialize(Rng rng) {
        init.fill(table, vocab, dim, rng);
    }

    /** {@code x (N, T...)} of ids -> {@code (N, T..., dim)}; keeps the ids for backward. */
    @Override
    public Tensor forward(Tensor x, boolean training) {
        int n = BatchBuffers.batchSize(x, positions, name);
        int count = n * positions;
        if (ids.length != count) ids = new int[count];
        for (int p = 0; p < count; p++) {
            float v = x.data[x.offset + p];
            int id = (int) v;
            if (id != v || id < 0 || id >= vocab) {
                throw new IllegalArgumentException(name + ": id " + v + " at position " + p + " is not a whole number in [0, "
                        + vocab + ")");
            }
            ids[p] = id;
        }
        y = BatchBuffers.reuse(y, n, outputShape);
        for (int p = 0; p < count; p++) System.arraycopy(table.data, table.offset + ids[p] * dim, y.data, y.offset + p * dim, dim);
        return y;
    }

    /** Adds each position's {@code dy} row into the row of its id and marks that row touched. */
    @Override
    public Tensor backward(Tensor dy) {
        if (y == null) throw new IllegalStateException(name + ": backward called before forward");
        BatchBuffers.sameSize(dy, y, name);
        int count = y.rows() * positions;
        for (int p = 0; p < count; p++) {
            touched.touch(ids[p]);
            VectorOps.axpy(dim, 1f, dy.data, dy.offset + p * dim, grads, touched.offset(ids[p]));
        }
        dx = BatchBuffers.reuse(dx, y.rows(), inputShape);
        return dx;
    }

    @Override
    public String kind() { return "embedding"; }
}
