package dev.nnlab.nn.layers;

import dev.nnlab.kernels.VectorOps;
import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Parameters;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A residual block (He et al. 2016): {@code y = f(x) + shortcut(x)}, where {@code f} is a stack of
 * layers (the body) and the shortcut is the identity or a projection layer (a bias-free Dense, later
 * a 1x1 convolution) when f changes the shape. Input {@code (N, in...)}, output {@code (N, out...)}
 * with the body's output shape, which the shortcut's must equal.
 *
 * <p>The inner layers are ordinary layers, named below the block's name: in a {@code Sequential} the
 * block at position 1 is {@code res1}, its body {@code res1.dense0}, {@code res1.relu1}, ..., its
 * projection {@code res1.shortcut}, and their parameters {@code res1.dense0.weight} and so on. They
 * are listed by {@link #children()}, so the training monitor measures and names each of them.
 *
 * <p>Backward: the gradient {@code dy} flows into both branches unchanged (the sum's derivative is
 * 1 for each), so {@code dx = f'(x)^T dy + shortcut'(x)^T dy}; with the identity shortcut the second
 * term is {@code dy} itself, which is why deep residual stacks keep their gradients.
 *
 * <p>Stability: evolving (new); the CNN/ResNet family will use it.
 */
public final class Residual implements Layer {
    private final List<Layer> body;
    private final Layer projection;
    private final List<String> names = new ArrayList<>();
    private final Tensor[] outputs;
    private String name;
    private int[] inputShape, outputShape;
    private Tensor x, shortcutOut, y, dx;
    /** Set by {@link #absorbRelu}: the output is {@code max(f(x) + shortcut(x), 0)}. */
    private boolean reluAbsorbed;

    /** {@code y = body(x) + x}: the body must keep the shape. */
    public Residual(Layer... body) {
        this(null, List.of(body));
    }

    /** {@code y = body(x) + projection(x)}, for a body that changes the shape. */
    public static Residual withProjection(Layer projection, Layer... body) {
        if (projection == null) throw new IllegalArgumentException("a projection shortcut needs a layer");
        return new Residual(projection, List.of(body));
    }

    private Residual(Layer projection, List<Layer> body) {
        if (body.isEmpty()) throw new IllegalArgumentException("a residual block needs at least one layer in its body");
        this.body = List.copyOf(body);
        this.projection = projection;
        this.outputs = new Tensor[body.size()];
    }

    /**
     * Takes over the forward pass of {@code relu}, the layer right after this block: the sum is written as
     * {@code max(sum, 0)} in its one pass, and the ReLU hands that tensor on (one full pass over the activation fewer
     * a step). The ReLU's backward is unchanged, reading that output; the bits are the same as the two layers'. The
     * block's own output, as the training monitor sees it, is then the ReLU's.
     */
    public void absorbRelu(ReLU relu) {
        relu.passesForwardThrough();
        reluAbsorbed = true;
    }

    @Override
    public int[] build(String name, int[] inputShape, Parameters.Builder params) {
        this.name = name;
        this.inputShape = inputShape.clone();
        int[] shape = inputShape.clone();
        names.clear();
        for (int j = 0; j < body.size(); j++) {
            String child = name + "." + body.get(j).kind() + j;
            shape = body.get(j).build(child, shape, params);
            names.add(child);
        }
        int[] shortcut = inputShape.clone();
        if (projection != null) {
            names.add(name + ".shortcut");
            shortcut = projection.build(name + ".shortcut", shortcut, params);
        }
        if (!Arrays.equals(shape, shortcut)) {
            throw new IllegalArgumentException(name + ": the body maps " + Arrays.toString(inputShape) + " to "
                    + Arrays.toString(shape) + " but the " + (projection == null ? "identity shortcut keeps "
                    : "projection shortcut gives ") + Arrays.toString(shortcut) + "; "
                    + (projection == null ? "use Residual.withProjection" : "make the two shapes equal"));
        }
        this.outputShape = shape;
        return shape.clone();
    }

    @Override
    public void bind(Parameters params) {
        for (Layer l : body) l.bind(params);
        if (projection != null) projection.bind(params);
    }

    /** Each inner layer from its own fork, as {@code Sequential} does, so that one layer's draws never shift another's. */
    @Override
    public void initialize(Rng rng) {
        for (int j = 0; j < body.size(); j++) body.get(j).initialize(rng.fork(j));
        if (projection != null) projection.initialize(rng.fork(body.size()));
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        this.x = x;
        Tensor h = x;
        for (int j = 0; j < body.size(); j++) {
            h = body.get(j).forward(h, training);
            outputs[j] = h;
        }
        Tensor s = projection == null ? x : projection.forward(x, training);
        shortcutOut = projection == null ? null : s;
        y = BatchBuffers.reuse(y, x.rows(), outputShape);
        Tensor body = h, shortcut = s, out = y;
        if (reluAbsorbed) {
            ElementRanges.run(out.size(), (from, to) -> VectorOps.addRelu(to - from, body.data, body.offset + from,
                    shortcut.data, shortcut.offset + from, out.data, out.offset + from));
        } else {
            ElementRanges.run(out.size(), (from, to) -> VectorOps.add(to - from, body.data, body.offset + from,
                    shortcut.data, shortcut.offset + from, out.data, out.offset + from));
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (x == null) throw new IllegalStateException(name + ": backward called before forward");
        BatchBuffers.sameSize(dy, y, name);
        Tensor g = dy;
        for (int j = body.size() - 1; j >= 0; j--) g = body.get(j).backward(g);
        Tensor gs = projection == null ? dy : projection.backward(dy);
        dx = BatchBuffers.reuse(dx, x.rows(), inputShape);
        Tensor gb = g, out = dx;
        ElementRanges.run(out.size(), (from, to) ->
                VectorOps.add(to - from, gb.data, gb.offset + from, gs.data, gs.offset + from, out.data, out.offset + from));
        return dx;
    }

    /** The body in order, then the projection; each with its most recent output. */
    @Override
    public List<Nested> children() {
        if (name == null) return List.of();
        List<Nested> out = new ArrayList<>();
        for (int j = 0; j < body.size(); j++) out.add(new Nested(names.get(j), body.get(j), outputs[j]));
        if (projection != null) out.add(new Nested(names.get(body.size()), projection, shortcutOut));
        return out;
    }

    @Override
    public String kind() { return "res"; }
}
