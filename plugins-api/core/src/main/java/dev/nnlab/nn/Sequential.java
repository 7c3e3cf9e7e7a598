package dev.nnlab.nn;

import dev.nnlab.tensor.Tensor;
import dev.nnlab.tensor.Rng;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A stack of layers applied in order, with all their parameters in one {@link Parameters}.
 * Layers are named by kind and position ({@code dense0}, {@code relu1}, {@code dense2}), and
 * their parameters {@code dense0.weight}, {@code dense0.bias}.
 *
 * <p>The network remembers each layer's most recent output so that the training monitor can
 * measure activations (dead ReLUs, saturation) without a second forward pass.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class Sequential {
    private final List<Layer> layers;
    private final List<String> names;
    private final List<int[]> outputShapes;
    private final int[] inputShape;
    private final Parameters params;
    private final Tensor[] lastOutputs;

    /** Builds and binds every layer for per-sample inputs of {@code inputShape}; call {@link #initialize} next. */
    public Sequential(int[] inputShape, List<? extends Layer> layers) {
        this(inputShape, layers, null);
    }

    /** With {@code shared}, binds to a view of its values instead of allocating new ones (see {@link #replica}). */
    private Sequential(int[] inputShape, List<? extends Layer> layers, Parameters shared) {
        if (layers.isEmpty()) throw new IllegalArgumentException("a network needs at least one layer");
        this.inputShape = inputShape.clone();
        this.layers = List.copyOf(layers);
        Parameters.Builder builder = Parameters.builder();
        List<String> n = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        int[] shape = inputShape.clone();
        for (int i = 0; i < this.layers.size(); i++) {
            Layer layer = this.layers.get(i);
            String name = layer.kind() + i;
            shape = layer.build(name, shape, builder);
            n.add(name);
            shapes.add(shape.clone());
        }
        this.names = Collections.unmodifiableList(n);
        this.outputShapes = Collections.unmodifiableList(shapes);
        Parameters built = builder.build();
        if (shared != null && !shared.sameLayout(built)) {
            throw new IllegalArgumentException("a replica must be built from the same layers: its parameters "
                    + built.entries() + " differ from " + shared.entries());
        }
        this.params = shared == null ? built : shared.sharingValues();
        for (Layer layer : this.layers) layer.bind(params);
        this.lastOutputs = new Tensor[this.layers.size()];
    }

    public Sequential(int[] inputShape, Layer... layers) {
        this(inputShape, List.of(layers));
    }

    /**
     * A copy of this network for another thread (Hogwild, Niu et al. 2011): {@code freshLayers} (new
     * instances of the same layers in the same order) are built and bound to this network's parameter
     * values, shared without locks, while activations, layer caches, gradients and touched rows are the
     * replica's own. Each thread runs forward, backward and its own optimizer on its replica's
     * {@link #params()}; every step lands in the one set of values.
     *
     * <p>Values are not re-initialised. Layers without parameters (also inside containers) are
     * initialised from forks of {@code rng}, which seeds their randomness (dropout masks) apart from
     * the original's.
     * Batch-norm running statistics are values too, so replicas update them racily, as Hogwild does.
     */
    public Sequential replica(List<? extends Layer> freshLayers, Rng rng) {
        for (Layer l : freshLayers) {
            if (layers.contains(l)) throw new IllegalArgumentException("a replica needs new layer instances; " + l.kind() + " is shared");
        }
        Sequential r = new Sequential(inputShape, freshLayers, params);
        for (int i = 0; i < r.layers.size(); i++) r.seedParameterFree(new Layer.Nested(r.names.get(i), r.layers.get(i), null), rng.fork(i));
        return r;
    }

    /** Initialises {@code n} if it owns no parameter, else the parameter-free layers inside it. */
    private void seedParameterFree(Layer.Nested n, Rng rng) {
        String prefix = n.name() + ".";
        if (params.entries().stream().noneMatch(e -> e.name().startsWith(prefix))) {
            n.layer().initialize(rng);
            return;
        }
        List<Layer.Nested> children = n.layer().children();
        for (int j = 0; j < children.size(); j++) seedParameterFree(children.get(j), rng.fork(j));
    }

    /** Initialises each layer from its own forked stream, so one layer's draws never shift another's. */
    public Sequential initialize(Rng rng) {
        for (int i = 0; i < layers.size(); i++) layers.get(i).initialize(rng.fork(i));
        return this;
    }

    public Tensor forward(Tensor x, boolean training) {
        Tensor h = x;
        for (int i = 0; i < layers.size(); i++) {
            h = layers.get(i).forward(h, training);
            lastOutputs[i] = h;
        }
        return h;
    }

    /** Back-propagates {@code dy = dL/doutput} through every layer; returns dL/dinput. */
    public Tensor backward(Tensor dy) {
        Tensor g = dy;
        for (int i = layers.size() - 1; i >= 0; i--) g = layers.get(i).backward(g);
        return g;
    }

    /**
     * {@link #backward} for a training step: the same parameter gradients, without {@code dL/dinput},
     * which no one reads when the input is the data (the first layer's {@link Layer#backwardParametersOnly}).
     */
    public void backwardParameters(Tensor dy) {
        Tensor g = dy;
        for (int i = layers.size() - 1; i > 0; i--) g = layers.get(i).backward(g);
        layers.get(0).backwardParametersOnly(g);
    }

    public Parameters params() { return params; }
    public List<Layer> layers() { return layers; }
    public Layer layer(int i) { return layers.get(i); }
    public String name(int i) { return names.get(i); }
    public List<String> names() { return names; }
    public int[] inputShape() { return inputShape.clone(); }
    public int[] outputShape() { return outputShapes.get(outputShapes.size() - 1).clone(); }
    public int[] outputShape(int layer) { return outputShapes.get(layer).clone(); }

    /** The output of layer {@code i} from the most recent forward pass, or null before the first. */
    public Tensor lastOutput(int i) { return lastOutputs[i]; }

    /**
     * Every layer, depth first, each container before the layers inside it ({@code res1},
     * {@code res1.dense0}, {@code res1.relu1}, {@code dense2}), with its name and latest output. For a
     * network without containers this is {@link #layers()} with {@link #names()}.
     */
    public List<Layer.Nested> allLayers() {
        List<Layer.Nested> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) addWithChildren(out, new Layer.Nested(names.get(i), layers.get(i), lastOutputs[i]));
        return out;
    }

    private static void addWithChildren(List<Layer.Nested> out, Layer.Nested n) {
        out.add(n);
        for (Layer.Nested c : n.layer().children()) addWithChildren(out, c);
    }
}
