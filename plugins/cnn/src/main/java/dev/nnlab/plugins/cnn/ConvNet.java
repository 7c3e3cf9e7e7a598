package dev.nnlab.plugins.cnn;

import dev.nnlab.data.LabelledTensors;
import dev.nnlab.data.TrainingData;
import dev.nnlab.diagnostics.TrainingDiagnostics;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.layers.Conv2d;
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
import dev.nnlab.tensor.Tensor;
import dev.nnlab.training.Architecture;
import dev.nnlab.training.ImageAugmentation;
import dev.nnlab.training.TransferLearning;
import dev.nnlab.training.SupervisedTraining;
import dev.nnlab.training.WeightImages;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Convolutional networks from a layer list ({@link LayerStack}): the presets {@code w3} (the
 * shared W3 workload), {@code lenet5} and {@code vgg_small}, or any stack written out. Trained with
 * softmax cross-entropy by the shared loop, which also stores the confusion matrix.
 *
 * <p>Each run stores {@value Architecture#ARTIFACT} (per layer: output shape, parameters, receptive
 * field) before it trains, and {@value #FILTERS} (the first convolution's filters as an image grid)
 * when it finishes.
 */
public final class ConvNet implements ModelFamily {
    static final String FILTERS = "first_layer_filters.png";
    static final int MAX_PICTURED_FILTERS = 64;

    private static final ParamSchema SCHEMA = CommonParams.SCHEMA.with(List.of(
            ParamSpec.ofString("layers", "w3", "The network: " + LayerStack.SYNTAX + ". E.g. "
                    + "conv3x3x32p1,relu,maxpool2,fc10.")))
            .with(ImageAugmentation.PARAMS).with(TransferLearning.PARAMS);

    @Override public String id() { return "cnn"; }

    @Override public String displayName() { return "Convolutional network"; }

    @Override public String description() {
        return "A stack of convolutions, pooling, batch norm, dropout and fully connected layers, written as a list "
                + "(conv3x3x32p1,relu,maxpool2,...) or taken from a preset (w3, lenet5, vgg_small). Shows each layer's "
                + "output shape and receptive field, the first layer's filters and the confusion matrix.";
    }

    @Override public int apiVersion() { return PluginApi.VERSION; }
    // Built on evolving types (layers, Architecture, SupervisedTraining): declare the revision they come from.
    @Override public int evolvingApiVersion() { return PluginApi.EVOLVING; }

    @Override public ParamSchema params() { return SCHEMA; }

    @Override public Set<DataKind> dataKinds() { return Set.of(DataKind.IMAGE); }

    /** Counted from the layer list without building it: parameters, gradients, optimizer state, one batch of activations and the im2col buffers. */
    @Override
    public MemoryEstimate estimateMemory(Map<String, Object> resolvedParams, int[] sampleShape, int classes) {
        return LayerStack.parse((String) resolvedParams.get("layers")).memory(sampleShape).estimate(resolvedParams, classes);
    }

    /** Parses the stack and builds it on the data's image size: a syntax error or a window that does not fit is refused here. */
    @Override
    public void checkFits(Map<String, Object> params, TrainingData data) {
        if (!(data instanceof LabelledTensors images)) return;
        LayerStack.parse((String) params.get("layers")).build(images.sampleShape(), images.numClasses());
    }

    /** Also that the weights of {@code initFrom} fit this stack outside its head. */
    @Override
    public void checkFits(Map<String, Object> params, TrainingData data, Path initialWeights) throws IOException {
        checkFits(params, data);
        if (initialWeights == null || !(data instanceof LabelledTensors images)) return;
        Sequential model = LayerStack.parse((String) params.get("layers")).build(images.sampleShape(), images.numClasses());
        TransferLearning.checkCompatible(model, initialWeights, TransferLearning.initFrom(params));
    }

    @Override
    public TrainResult train(TrainingJob job, RunSink sink) {
        LabelledTensors data = job.labelled();
        int classes = data.numClasses();
        Sequential model;
        try {
            model = LayerStack.parse(job.stringParam("layers")).build(data.sampleShape(), classes);
        } catch (InvalidParamException e) {
            // The planner refuses this before recording; a direct caller gets the same message.
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        model.initialize(new Rng(job.intParam("seed")));
        Architecture.report(sink, model);
        TrainResult result = SupervisedTraining.fitTransferable(job, sink, model, Losses.create("cross_entropy"),
                TrainingDiagnostics.expectedCrossEntropy(classes), "ln(" + classes + ") for near-equal scores");
        if (result.outcome() == TrainResult.Outcome.FINISHED) reportFilters(sink, model);
        return result;
    }

    /** The first convolution's filters, each (C, K, K) drawn as a tile: what the first layer learned to look for. */
    static void reportFilters(RunSink sink, Sequential model) {
        for (int i = 0; i < model.layers().size(); i++) {
            if (!(model.layer(i) instanceof Conv2d conv)) continue;
            Tensor w = model.params().value(model.name(i) + ".weight");
            int[] s = w.shape();
            int f = s[0], patch = s[1] * s[2] * s[3];
            // WeightImages draws columns of an (in, out) matrix; a conv weight is (F, C*K*K), so transpose.
            float[] t = new float[patch * f];
            for (int u = 0; u < f; u++) for (int p = 0; p < patch; p++) t[p * f + u] = w.at(u * patch + p);
            WeightImages.report(sink, FILTERS, Tensor.of(t, patch, f), new int[] {s[1], s[2], s[3]}, MAX_PICTURED_FILTERS);
            return;
        }
    }
}
