package dev.nnlab.plugins.resnet;

import dev.nnlab.data.LabelledTensors;
import dev.nnlab.data.TrainingData;
import dev.nnlab.diagnostics.TrainingDiagnostics;
import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Range;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.init.He;
import dev.nnlab.nn.init.Uniform;
import dev.nnlab.nn.layers.BatchNorm;
import dev.nnlab.nn.layers.Conv2d;
import dev.nnlab.nn.layers.Dense;
import dev.nnlab.nn.layers.GlobalAvgPool;
import dev.nnlab.nn.layers.ReLU;
import dev.nnlab.nn.layers.Residual;
import dev.nnlab.nn.layers.WindowGeometry;
import dev.nnlab.nn.layers.ZeroPadShortcut;
import dev.nnlab.nn.loss.Losses;
import dev.nnlab.spi.CommonParams;
import dev.nnlab.spi.DataKind;
import dev.nnlab.spi.InvalidParamException;
import dev.nnlab.spi.MemoryEstimate;
import dev.nnlab.spi.ModelFamily;
import dev.nnlab.spi.ParamSchema;
import dev.nnlab.spi.ParamSpec;
import dev.nnlab.spi.PluginApi;
import dev.nnlab.spi.RunSink;
import dev.nnlab.spi.TrainResult;
import dev.nnlab.spi.TrainingJob;
import dev.nnlab.tensor.Rng;
import dev.nnlab.training.Architecture;
import dev.nnlab.training.ImageAugmentation;
import dev.nnlab.training.ImageNetMemory;
import dev.nnlab.training.TransferLearning;
import dev.nnlab.training.SupervisedTraining;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CIFAR ResNets of He et al. 2016 (section 4.2): a 3x3 convolution of 16 channels, three stages
 * of n basic blocks at 16, 32 and 64 channels (the first block of stages 2 and 3 halves the image
 * with stride 2), global average pooling and a fully connected classifier; depth = 6n + 2
 * (8, 14, 20, 32, 56, ...). A basic block is conv3x3-BN-ReLU-conv3x3-BN plus the shortcut, then ReLU.
 *
 * <p>Where a block changes the shape, the shortcut is option A (every second pixel, the new channels
 * zero: no parameters) or option B (a 1x1 convolution of stride 2). {@code plain: true} drops every
 * shortcut and keeps the rest, for the degradation experiment: deeper plain nets train worse, deeper
 * residual nets do not.
 *
 * <p>The stride-2 3x3 convolutions map 32 to 16 as PyTorch does, by flooring (32 - 3 + 2) / 2 + 1
 * = 16.5; see {@link WindowGeometry}.
 */
public final class ResNet implements ModelFamily {
    /** 6n + 2 with n >= 1; 110 is the deepest CIFAR net of the paper. */
    static final Range DEPTH = Range.closed(8, 110);
    static final int[] WIDTHS = {16, 32, 64};

    private static final ParamSchema SCHEMA = CommonParams.SCHEMA.with(List.of(
            ParamSpec.ofInt("depth", 20, "Layers with weights, 6n + 2: 8, 14, 20, 32, 56 (n basic blocks per stage).").within(DEPTH),
            ParamSpec.ofChoice("shortcut", "a", List.of("a", "b"),
                    "Where a block halves the image and doubles the channels: a = subsample and pad with zero channels "
                            + "(no parameters), b = 1x1 convolution of stride 2."),
            ParamSpec.ofBool("plain", false, "Drop every shortcut: the same depth as a plain stack (the degradation experiment)."),
            ParamSpec.ofBool("zeroInitResidualGamma", false,
                    "Start the last batch norm of every residual branch with scale 0, so each block starts as its shortcut "
                            + "(Goyal et al. 2017; torchvision's zero_init_residual). Helps very deep nets through their first "
                            + "steps at a high rate. Off by default, as in He et al. 2016 and torchvision; no effect with plain: true "
                            + "(no branch to add to a shortcut).")))
            .with(ImageAugmentation.PARAMS).with(TransferLearning.PARAMS);

    @Override public String id() { return "resnet"; }

    @Override public String displayName() { return "Residual network (CIFAR)"; }

    @Override public String description() {
        return "CIFAR-style ResNet-n (n = 8, 14, 20, 32, 56): three stages of basic blocks at 16, 32 and 64 channels with "
                + "batch norm, global average pooling, option A or B shortcuts, and a plain variant without shortcuts "
                + "to show the degradation problem residual connections solve.";
    }

    @Override public int apiVersion() { return PluginApi.VERSION; }
    // Built on evolving types (layers, Architecture, SupervisedTraining): declare the revision they come from.
    @Override public int evolvingApiVersion() { return PluginApi.EVOLVING; }

    @Override public ParamSchema params() { return SCHEMA; }

    @Override public Set<DataKind> dataKinds() { return Set.of(DataKind.IMAGE); }

    @Override
    public void checkFits(Map<String, Object> params, TrainingData data) {
        int depth = ((Number) params.get("depth")).intValue();
        blocksPerStage(depth);
        if (data instanceof LabelledTensors images) imageShape(images.sampleShape());
    }

    /** Counted block by block as {@link #build} lays them out, without building: parameters, gradients, optimizer state, one batch of activations, im2col buffers. */
    @Override
    public MemoryEstimate estimateMemory(Map<String, Object> params, int[] sampleShape, int classes) {
        int n = blocksPerStage(((Number) params.get("depth")).intValue());
        boolean optionB = "b".equals(params.get("shortcut")), plain = Boolean.TRUE.equals(params.get("plain"));
        ImageNetMemory m = new ImageNetMemory(sampleShape).conv(WIDTHS[0], 3, 1, 1, false).batchNorm().pointwise();
        int channels = WIDTHS[0];
        for (int stage = 0; stage < WIDTHS.length; stage++) {
            for (int b = 0; b < n; b++) {
                int out = WIDTHS[stage], stride = stage > 0 && b == 0 ? 2 : 1;
                long[] in = m.shape();
                m.conv(out, 3, stride, 1, false).batchNorm().pointwise().conv(out, 3, 1, 1, false).batchNorm();
                if (!plain) {
                    long[] body = m.shape();
                    if (out != channels || stride != 1) {
                        m.shape(in);
                        if (optionB) m.conv(out, 1, stride, 0, false);
                        else m.zeroPadShortcut(out, stride);
                    }
                    m.shape(body).residualAdd();
                }
                m.pointwise();
                channels = out;
            }
        }
        return m.globalAvgPool().dense(classes).estimate(params, classes);
    }

    /** Also that the weights of {@code initFrom} fit this network outside its head. */
    @Override
    public void checkFits(Map<String, Object> params, TrainingData data, Path initialWeights) throws IOException {
        checkFits(params, data);
        if (initialWeights == null || !(data instanceof LabelledTensors images)) return;
        TransferLearning.checkCompatible(build(images.sampleShape(), images.numClasses(), params), initialWeights,
                TransferLearning.initFrom(params));
    }

    private static Sequential build(int[] sampleShape, int classes, Map<String, Object> params) {
        return build(sampleShape, classes, ((Number) params.get("depth")).intValue(), "b".equals(params.get("shortcut")),
                Boolean.TRUE.equals(params.get("plain")), Boolean.TRUE.equals(params.get("zeroInitResidualGamma")));
    }

    static int blocksPerStage(int depth) {
        if ((depth - 2) % 6 != 0) {
            throw new InvalidParamException("$.params.depth", depth, "6n + 2 for n blocks per stage (8, 14, 20, 32, 56, 110); "
                    + depth + " - 2 = " + (depth - 2) + " is not a multiple of 6");
        }
        return (depth - 2) / 6;
    }

    private static int[] imageShape(int[] sampleShape) {
        int[] s = sampleShape.length == 2 ? new int[] {1, sampleShape[0], sampleShape[1]} : sampleShape;
        if (s.length != 3 || s[1] < 4 || s[2] < 4) {
            throw new InvalidParamException("$.dataset", Arrays.toString(sampleShape),
                    "images of at least 4x4 pixels (C, H, W): the two stride-2 stages quarter each side");
        }
        return s;
    }

    /** The network for (C, H, W) images and {@code classes} outputs, with He et al.'s initialisation. */
    static Sequential build(int[] sampleShape, int classes, int depth, boolean optionB, boolean plain) {
        return build(sampleShape, classes, depth, optionB, plain, false);
    }

    /**
     * As above; {@code zeroResidualGamma} starts each residual branch's last batch norm at scale 0, so every
     * block first passes its shortcut on. A plain net has no shortcut to pass on (its blocks would output
     * 0), so there the flag changes nothing.
     */
    static Sequential build(int[] sampleShape, int classes, int depth, boolean optionB, boolean plain, boolean zeroResidualGamma) {
        int n = blocksPerStage(depth);
        List<Layer> layers = new ArrayList<>(List.of(conv(WIDTHS[0], 1)));
        layers.addAll(batchNormRelu());
        int channels = WIDTHS[0];
        for (int stage = 0; stage < WIDTHS.length; stage++) {
            for (int b = 0; b < n; b++) {
                int out = WIDTHS[stage], stride = stage > 0 && b == 0 ? 2 : 1;
                BatchNorm last = zeroResidualGamma && !plain ? BatchNorm.zeroGamma() : new BatchNorm();
                List<Layer> inner = batchNormRelu();
                Layer[] body = {conv(out, stride), inner.get(0), inner.get(1), conv(out, 1), last};
                ReLU after = new ReLU();
                if (plain) {
                    layers.addAll(List.of(body));
                } else {
                    Residual block = out == channels && stride == 1 ? new Residual(body) : Residual.withProjection(optionB
                            ? new Conv2d(out, new WindowGeometry(1, stride, 0), false, new He(), true)
                            : new ZeroPadShortcut(out, stride), body);
                    block.absorbRelu(after); // the sum and the ReLU in one pass, the same bits
                    layers.add(block);
                }
                layers.add(after);
                channels = out;
            }
        }
        layers.add(new GlobalAvgPool());
        layers.add(new Dense(classes, headInit(), true));
        return new Sequential(imageShape(sampleShape), layers);
    }

    /**
     * The classifier's weights: uniform(-1/sqrt(64), 1/sqrt(64)) and zero biases, as He et al.'s own
     * code (fb.resnet.torch: Torch's Linear default, bias zeroed) and torchvision (PyTorch's Linear
     * default) leave them. He normal, right for a layer that feeds a ReLU, is 2.4x too wide here: each
     * residual stage adds its variance to the shortcut's, so the pooled features of a fresh ResNet-20
     * have a norm of about 11, and He-normal logits (std about 1.8) start the loss at 3.1-4.4 instead
     * of ln 10 = 2.3 (measured with the W4 benchmark's PyTorch ResNet-20 on 128 Fashion-MNIST images, 5 seeds);
     * this init starts it at 2.5-2.7.
     */
    static Uniform headInit() {
        return new Uniform(1 / Math.sqrt(WIDTHS[WIDTHS.length - 1]));
    }

    /**
     * A batch norm and the ReLU after it, the ReLU fused into the batch norm's passes ({@link BatchNorm#absorbRelu}:
     * the same bits, two passes over the activation fewer each step).
     */
    private static List<Layer> batchNormRelu() {
        BatchNorm norm = new BatchNorm();
        ReLU relu = new ReLU();
        norm.absorbRelu(relu);
        return List.of(norm, relu);
    }

    /** 3x3, padding 1, no bias (the batch norm after it has the shift); floored so stride 2 maps 32 to 16. */
    private static Conv2d conv(int out, int stride) {
        return new Conv2d(out, new WindowGeometry(3, stride, 1), false, new He(), true);
    }

    @Override
    public TrainResult train(TrainingJob job, RunSink sink) {
        LabelledTensors data = job.labelled();
        int classes = data.numClasses();
        Sequential model = build(data.sampleShape(), classes, job.params()).initialize(new Rng(job.intParam("seed")));
        Architecture.report(sink, model);
        return SupervisedTraining.fitTransferable(job, sink, model, Losses.create("cross_entropy"),
                TrainingDiagnostics.expectedCrossEntropy(classes), "ln(" + classes + ") for near-equal scores");
    }
}
