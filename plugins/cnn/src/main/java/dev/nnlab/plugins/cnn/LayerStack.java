package dev.nnlab.plugins.cnn;

import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.init.He;
import dev.nnlab.nn.layers.AvgPool2d;
import dev.nnlab.nn.layers.BatchNorm;
import dev.nnlab.nn.layers.Conv2d;
import dev.nnlab.nn.layers.Dense;
import dev.nnlab.nn.layers.Dropout;
import dev.nnlab.nn.layers.ELU;
import dev.nnlab.nn.layers.Flatten;
import dev.nnlab.nn.layers.GlobalAvgPool;
import dev.nnlab.nn.layers.LeakyReLU;
import dev.nnlab.nn.layers.MaxPool2d;
import dev.nnlab.nn.layers.ReLU;
import dev.nnlab.nn.layers.Sigmoid;
import dev.nnlab.nn.layers.Tanh;
import dev.nnlab.nn.layers.WindowGeometry;
import dev.nnlab.spi.InvalidParamException;
import dev.nnlab.training.ImageNetMemory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code layers} parameter of the cnn family: a preset name or a comma-separated stack, e.g.
 * {@code conv3x3x32p1,relu,maxpool2,conv3x3x64p1,relu,maxpool2,fc128,relu,fc10}. One token per layer:
 * <ul>
 *   <li>{@code convKxKxF[sS][pP]}: F filters of K x K, stride S (default 1), zero padding P (default 0);</li>
 *   <li>{@code maxpoolK[sS]}, {@code avgpoolK[sS]}: a K x K window, stride S (default K);</li>
 *   <li>{@code gap} (global average pool), {@code flatten}, {@code bn} (batch norm over channels or features);</li>
 *   <li>{@code relu}, {@code tanh}, {@code sigmoid}, {@code elu}, {@code leaky_relu};</li>
 *   <li>{@code fcN}: a fully connected layer of N units; {@code dropoutP}: drop probability P in [0, 1).</li>
 * </ul>
 * The stack must end in {@code fcC}, C the number of classes. Every window must tile its input
 * exactly ({@link WindowGeometry}); the family checks that against the data before anything is recorded.
 */
final class LayerStack {
    static final String PATH = "$.params.layers";

    /** W3 of the shared workloads, exactly: two 3x3 conv/ReLU/2x2 max-pool stages of 32 and 64 channels, fc128, fc10. */
    static final Map<String, String> PRESETS = Map.of(
            "w3", "conv3x3x32p1,relu,maxpool2,conv3x3x64p1,relu,maxpool2,fc128,relu,fc10",
            // LeCun et al. 1998 on 28x28 input: the first convolution pads by 2 to give C1 its 28x28 maps.
            "lenet5", "conv5x5x6p2,tanh,avgpool2,conv5x5x16,tanh,avgpool2,fc120,tanh,fc84,tanh,fc10",
            // Simonyan and Zisserman's pattern at MNIST scale: pairs of 3x3 convolutions with BN, then pooling.
            "vgg_small", "conv3x3x32p1,bn,relu,conv3x3x32p1,bn,relu,maxpool2,conv3x3x64p1,bn,relu,conv3x3x64p1,bn,relu,"
                    + "maxpool2,fc256,relu,dropout0.5,fc10");

    static final String SYNTAX = "a preset " + List.copyOf(new java.util.TreeSet<>(PRESETS.keySet()))
            + " or comma-separated layers: convKxKxF[sS][pP], maxpoolK[sS], avgpoolK[sS], gap, flatten, bn, "
            + "relu, tanh, sigmoid, elu, leaky_relu, fcN, dropoutP, ending in fcC for C classes";

    private static final Pattern CONV = Pattern.compile("conv(\\d+)x(\\d+)x(\\d+)(?:s(\\d+))?(?:p(\\d+))?");
    private static final Pattern POOL = Pattern.compile("(max|avg)pool(\\d+)(?:s(\\d+))?");
    private static final Pattern FC = Pattern.compile("fc(\\d+)");
    private static final Pattern DROPOUT = Pattern.compile("dropout(0?\\.\\d+|0)");

    private final String text;
    private final List<String> tokens;
    private final List<Supplier<Layer>> factories;

    private LayerStack(String text, List<String> tokens, List<Supplier<Layer>> factories) {
        this.text = text;
        this.tokens = tokens;
        this.factories = factories;
    }

    /** Parses a preset name or a stack; a bad token is refused naming it, its position and the syntax. */
    static LayerStack parse(String value) {
        String spec = PRESETS.getOrDefault(value.strip().toLowerCase(Locale.ROOT), value);
        List<String> tokens = new ArrayList<>();
        List<Supplier<Layer>> factories = new ArrayList<>();
        String[] parts = spec.toLowerCase(Locale.ROOT).replace(" ", "").split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            tokens.add(parts[i]);
            factories.add(factory(value, parts[i], i));
        }
        return new LayerStack(value, List.copyOf(tokens), List.copyOf(factories));
    }

    private static Supplier<Layer> factory(String value, String t, int i) {
        Matcher m;
        if ((m = CONV.matcher(t)).matches()) {
            int kh = number(value, t, i, m.group(1)), kw = number(value, t, i, m.group(2)), f = number(value, t, i, m.group(3));
            if (kh != kw) throw bad(value, i, t, "kernels are square: write conv" + kh + "x" + kh + "x" + f);
            int s = m.group(4) == null ? 1 : number(value, t, i, m.group(4)), p = m.group(5) == null ? 0 : number(value, t, i, m.group(5));
            if (kh < 1 || f < 1 || s < 1) throw bad(value, i, t, "kernel, filters and stride must be at least 1");
            WindowGeometry g = new WindowGeometry(kh, s, p);
            return () -> new Conv2d(f, g, true, new He(), false);
        }
        if ((m = POOL.matcher(t)).matches()) {
            int k = number(value, t, i, m.group(2)), s = m.group(3) == null ? k : number(value, t, i, m.group(3));
            if (k < 1 || s < 1) throw bad(value, i, t, "pool size and stride must be at least 1");
            WindowGeometry g = new WindowGeometry(k, s, 0);
            return m.group(1).equals("max") ? () -> new MaxPool2d(g) : () -> new AvgPool2d(g);
        }
        if ((m = FC.matcher(t)).matches()) {
            int units = number(value, t, i, m.group(1));
            if (units < 1) throw bad(value, i, t, "a fully connected layer needs at least 1 unit");
            return () -> new Dense(units);
        }
        if ((m = DROPOUT.matcher(t)).matches()) {
            float p = Float.parseFloat(m.group(1));
            if (!Dropout.P.contains(p)) throw bad(value, i, t, "the drop probability must be " + Dropout.P.describe());
            return () -> new Dropout(p);
        }
        return switch (t) {
            case "relu" -> ReLU::new;
            case "tanh" -> Tanh::new;
            case "sigmoid" -> Sigmoid::new;
            case "elu" -> ELU::new;
            case "leaky_relu", "leakyrelu" -> LeakyReLU::new;
            case "bn" -> BatchNorm::new;
            case "gap" -> GlobalAvgPool::new;
            case "flatten" -> Flatten::new;
            case "" -> throw bad(value, i, t, "an empty layer (two commas in a row, or a trailing comma)");
            default -> throw bad(value, i, t, "an unknown layer");
        };
    }

    private static int number(String value, String t, int i, String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw bad(value, i, t, "the number " + digits + " is too large");
        }
    }

    private static InvalidParamException bad(String value, int i, String token, String why) {
        return new InvalidParamException(PATH, value, SYNTAX + "; layer " + i + " \"" + token + "\" is " + why);
    }

    /**
     * Fresh layers for one network. A max pool right after a ReLU takes over the ReLU's backward pass
     * ({@link MaxPool2d#takeGradientOf}: the same gradient on a quarter of the values); the layers, their names
     * and outputs stay as listed.
     */
    List<Layer> layers() {
        List<Layer> out = new ArrayList<>();
        for (Supplier<Layer> f : factories) out.add(f.get());
        for (int i = 0; i + 1 < out.size(); i++) {
            if (out.get(i) instanceof ReLU relu && out.get(i + 1) instanceof MaxPool2d pool) pool.takeGradientOf(relu);
        }
        return out;
    }

    /**
     * Builds the network for {@code sampleShape}, refusing (with the rule and the numbers) a window
     * that does not tile its input and a stack that does not end in {@code fc<classes>}.
     */
    Sequential build(int[] sampleShape, int classes) {
        String last = tokens.getLast();
        if (!last.equals("fc" + classes)) {
            throw new InvalidParamException(PATH, text, "a stack ending in fc" + classes + " (the data has " + classes
                    + " classes); it ends in \"" + last + "\"");
        }
        int[] input = sampleShape.length == 2 ? new int[] {1, sampleShape[0], sampleShape[1]} : sampleShape;
        if (input.length != 3) {
            throw new InvalidParamException(PATH, text, "image data shaped (C, H, W); this data has samples of shape "
                    + Arrays.toString(sampleShape));
        }
        try {
            return new Sequential(input, layers());
        } catch (WindowGeometry.ShapeException e) {
            throw new InvalidParamException(PATH, text, "every window to tile its input on " + Arrays.toString(input)
                    + " images (layers are named by kind and position from 0); " + e.getMessage());
        }
    }

    List<String> tokens() { return tokens; }

    /** The stack's memory counted token by token on {@code sampleShape}, without building it. */
    ImageNetMemory memory(int[] sampleShape) {
        ImageNetMemory m = new ImageNetMemory(sampleShape);
        for (String t : tokens) {
            Matcher x;
            if ((x = CONV.matcher(t)).matches()) {
                m.conv(Long.parseLong(x.group(3)), Long.parseLong(x.group(1)), x.group(4) == null ? 1 : Long.parseLong(x.group(4)),
                        x.group(5) == null ? 0 : Long.parseLong(x.group(5)), true);
            } else if ((x = POOL.matcher(t)).matches()) {
                long k = Long.parseLong(x.group(2));
                m.pool(k, x.group(3) == null ? k : Long.parseLong(x.group(3)), x.group(1).equals("max"));
            } else if ((x = FC.matcher(t)).matches()) {
                m.dense(Long.parseLong(x.group(1)));
            } else if (DROPOUT.matcher(t).matches()) {
                m.dropout();
            } else if (t.equals("bn")) {
                m.batchNorm();
            } else if (t.equals("gap")) {
                m.globalAvgPool();
            } else {
                m.pointwise();
            }
        }
        return m;
    }
}
