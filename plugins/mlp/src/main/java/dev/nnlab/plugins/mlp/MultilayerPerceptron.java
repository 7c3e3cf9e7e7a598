package dev.nnlab.plugins.mlp;

import dev.nnlab.data.LabelledTensors;
import dev.nnlab.diagnostics.TrainingDiagnostics;
import dev.nnlab.training.HessianAtEnd;
import dev.nnlab.training.SupervisedTraining;
import dev.nnlab.training.WeightImages;
import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Range;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.init.Gaussian;
import dev.nnlab.nn.init.Initializer;
import dev.nnlab.nn.layers.BatchNorm;
import dev.nnlab.nn.layers.Dense;
import dev.nnlab.nn.layers.Dropout;
import dev.nnlab.nn.layers.ELU;
import dev.nnlab.nn.layers.LeakyReLU;
import dev.nnlab.nn.layers.Maxout;
import dev.nnlab.nn.layers.PReLU;
import dev.nnlab.nn.layers.ReLU;
import dev.nnlab.nn.layers.Sigmoid;
import dev.nnlab.nn.layers.Tanh;
import dev.nnlab.nn.loss.Loss;
import dev.nnlab.nn.loss.Losses;
import dev.nnlab.spi.CommonParams;
import dev.nnlab.spi.DataKind;
import dev.nnlab.spi.MemoryEstimate;
import dev.nnlab.spi.ModelFamily;
import dev.nnlab.spi.ParamSchema;
import dev.nnlab.spi.ParamSpec;
import dev.nnlab.spi.PluginApi;
import dev.nnlab.spi.RunSink;
import dev.nnlab.spi.TrainResult;
import dev.nnlab.spi.TrainingJob;
import dev.nnlab.tensor.Rng;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fully connected networks: for each hidden width, Dense -> [BatchNorm] -> activation -> [Dropout],
 * then a Dense output layer. The family where activations, initialisation, batch norm and dropout
 * are compared one change at a time.
 *
 * <p>On image inputs a finished run stores {@value #FIRST_LAYER}: the incoming weights of up to
 * {@value #MAX_PICTURED_UNITS} first-layer units, each drawn as an input image (what each unit responds to).
 */
public final class MultilayerPerceptron implements ModelFamily {

    static final String FIRST_LAYER = "first_layer_weights.png";
    static final int MAX_PICTURED_UNITS = 100;

    static final List<String> ACTIVATIONS = List.of("sigmoid", "tanh", "relu", "leaky_relu", "prelu", "elu", "maxout");

    private static final ParamSchema SCHEMA = CommonParams.SCHEMA.with(List.of(
            HessianAtEnd.PARAM,
            ParamSpec.ofIntList("hidden", List.of(100), "Widths of the hidden layers, e.g. [256, 256]."),
            ParamSpec.ofChoice("activation", "relu", ACTIVATIONS, "Non-linearity after each hidden layer."),
            ParamSpec.ofInt("maxoutPieces", 2, "Maxout: linear pieces per unit (the Dense before it is k times wider).")
                    .within(Maxout.PIECES.intersect(Range.closed(2, 16))),
            ParamSpec.ofChoice("init", "he", List.of("gaussian", "xavier", "he", "zeros"),
                    "Weight initialisation: gaussian uses initStd; xavier suits tanh/sigmoid, he suits ReLU."),
            ParamSpec.ofFloat("initStd", 0.01, "Std of the gaussian init (0.01 and 1.0 are the classic extremes).")
                    .within(Gaussian.STD.atMost(10)),
            ParamSpec.ofFloat("dropout", 0.0, "Drop probability after each hidden activation (inverted dropout).")
                    .within(Dropout.P),
            ParamSpec.ofBool("batchNorm", false, "Batch normalisation between each hidden Dense and its activation."),
            ParamSpec.ofChoice("loss", "cross_entropy", List.of("cross_entropy", "hinge", "mse", "softmax_mse"),
                    "cross_entropy (softmax), hinge (multiclass SVM), mse of the scores or softmax_mse of the softmax "
                    + "probabilities against the one-hot vector.")));

    @Override public String id() { return "mlp"; }

    @Override public String displayName() { return "Multilayer perceptron"; }

    @Override public String description() {
        return "Fully connected layers with a choice of activation (sigmoid, tanh, ReLU, LeakyReLU, PReLU, ELU, Maxout), "
                + "initialisation (small Gaussian, Xavier, He), batch norm and dropout. Where vanishing gradients, "
                + "dead ReLUs and overfitting are easiest to provoke and to see.";
    }

    @Override public int apiVersion() { return PluginApi.VERSION; }
    // Built on evolving types (layers, Architecture, SupervisedTraining): declare the revision they come from.
    @Override public int evolvingApiVersion() { return PluginApi.EVOLVING; }

    @Override public ParamSchema params() { return SCHEMA; }

    @Override public Set<DataKind> dataKinds() { return Set.of(DataKind.VECTOR, DataKind.IMAGE); }

    @Override
    public MemoryEstimate estimateMemory(Map<String, Object> resolvedParams, int[] sampleShape, int classes) {
        return MlpMemory.estimate(resolvedParams, sampleShape, classes);
    }

    @Override
    public TrainResult train(TrainingJob job, RunSink sink) {
        int classes = job.labelled().numClasses();
        Sequential model = model(job);
        String lossName = job.stringParam("loss");
        Loss loss = Losses.create(lossName);
        double expected = switch (lossName) {
            case "cross_entropy" -> TrainingDiagnostics.expectedCrossEntropy(classes);
            case "hinge" -> classes - 1;
            case "softmax_mse" -> (classes - 1.0) / ((double) classes * classes);
            default -> Double.NaN;
        };
        String why = switch (lossName) {
            case "cross_entropy" -> "ln(" + classes + ") for near-equal scores";
            case "softmax_mse" -> "(C - 1) / C^2 = " + String.format(java.util.Locale.ROOT, "%.4f", expected) + " for near-equal scores";
            default -> "C - 1 = " + (classes - 1) + " for near-zero scores";
        };
        TrainResult result = SupervisedTraining.fit(job, sink, model, loss, expected, why);
        if (result.outcome() == TrainResult.Outcome.FINISHED) {
            WeightImages.report(sink, FIRST_LAYER, model.params().value(model.name(0) + ".weight"), job.labelled().sampleShape(),
                    MAX_PICTURED_UNITS);
        }
        return result;
    }

    /** For each hidden width Dense -> [BatchNorm] -> activation -> [Dropout], then the output Dense; initialised. */
    static Sequential model(TrainingJob job) {
        LabelledTensors train = job.labelled();
        int classes = train.numClasses();
        String activation = job.stringParam("activation");
        int pieces = job.intParam("maxoutPieces");
        Initializer init = job.stringParam("init").equals("gaussian")
                ? Initializer.named("gaussian", job.doubleParam("initStd"))
                : Initializer.named(job.stringParam("init"));
        double dropout = job.doubleParam("dropout");
        List<Layer> layers = new ArrayList<>();
        for (int width : job.intListParam("hidden")) {
            boolean maxout = activation.equals("maxout");
            layers.add(new Dense(maxout ? width * pieces : width, init, true));
            if (job.boolParam("batchNorm")) layers.add(new BatchNorm());
            layers.add(activation(activation, pieces));
            if (dropout > 0) layers.add(new Dropout((float) dropout));
        }
        layers.add(new Dense(classes, init, true));
        return new Sequential(train.sampleShape(), layers).initialize(new Rng(job.intParam("seed")));
    }

    static Layer activation(String name, int maxoutPieces) {
        return switch (name) {
            case "sigmoid" -> new Sigmoid();
            case "tanh" -> new Tanh();
            case "relu" -> new ReLU();
            case "leaky_relu" -> new LeakyReLU();
            case "prelu" -> new PReLU();
            case "elu" -> new ELU();
            case "maxout" -> new Maxout(maxoutPieces);
            default -> throw new IllegalArgumentException("activation " + name + " is not one of " + ACTIVATIONS);
        };
    }
}
