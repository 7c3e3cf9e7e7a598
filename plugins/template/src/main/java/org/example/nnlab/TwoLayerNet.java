package org.example.nnlab;

import dev.nnlab.diagnostics.TrainingDiagnostics;
import dev.nnlab.nn.Range;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.init.Initializer;
import dev.nnlab.nn.layers.Dense;
import dev.nnlab.nn.layers.ReLU;
import dev.nnlab.nn.loss.SoftmaxCrossEntropy;
import dev.nnlab.spi.CommonParams;
import dev.nnlab.spi.DataKind;
import dev.nnlab.spi.ModelFamily;
import dev.nnlab.spi.ParamSchema;
import dev.nnlab.spi.ParamSpec;
import dev.nnlab.spi.PluginApi;
import dev.nnlab.spi.RunSink;
import dev.nnlab.spi.TrainResult;
import dev.nnlab.spi.TrainingJob;
import dev.nnlab.tensor.Rng;
import dev.nnlab.training.SupervisedTraining;

import java.util.List;
import java.util.Set;

/**
 * A complete, minimal nnlab model family: input, one hidden ReLU layer of {@code width} units, a
 * softmax classifier. Everything else (optimizer, schedule, batches, early stopping, metrics, layer
 * statistics, the confusion matrix) comes from the shared loop, {@link SupervisedTraining}.
 *
 * <p>The host has already split and preprocessed the data when {@link #train} is called: the job
 * holds labelled tensors (train / validation / test) because this family declares the VECTOR and
 * IMAGE kinds, and every parameter is resolved and checked against {@link #params()}.
 */
public final class TwoLayerNet implements ModelFamily {

    /** The common training parameters (lr, optimizer, epochs, preprocessing...) plus this family's own. */
    private static final ParamSchema SCHEMA = CommonParams.SCHEMA.with(List.of(
            ParamSpec.ofInt("width", 64, "Units in the hidden layer.").within(Range.closed(1, 4096))));

    @Override public String id() { return "two-layer-net"; }

    @Override public String displayName() { return "Two-layer net (template)"; }

    @Override public String description() {
        return "One hidden ReLU layer and a softmax classifier: the plugin template of the README's "
                + "\"Write a plugin\", ready to copy.";
    }

    // Both return compile-time constants: the compiler bakes in the API this JAR was built against.
    @Override public int apiVersion() { return PluginApi.VERSION; }

    @Override public int evolvingApiVersion() { return PluginApi.EVOLVING; }

    @Override public ParamSchema params() { return SCHEMA; }

    @Override public Set<DataKind> dataKinds() { return Set.of(DataKind.VECTOR, DataKind.IMAGE); }

    @Override
    public TrainResult train(TrainingJob job, RunSink sink) {
        var data = job.labelled();
        int classes = data.numClasses();
        Sequential model = new Sequential(data.sampleShape(),
                new Dense(job.intParam("width"), Initializer.named("he"), true),
                new ReLU(),
                new Dense(classes, Initializer.named("xavier"), true))
                .initialize(new Rng(job.intParam("seed")));
        return SupervisedTraining.fit(job, sink, model, new SoftmaxCrossEntropy(),
                TrainingDiagnostics.expectedCrossEntropy(classes), "ln(" + classes + ") for near-equal scores");
    }
}
