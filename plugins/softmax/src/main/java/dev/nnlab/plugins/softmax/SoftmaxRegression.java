package dev.nnlab.plugins.softmax;

import dev.nnlab.data.LabelledTensors;
import dev.nnlab.diagnostics.TrainingDiagnostics;
import dev.nnlab.training.CommonSetup;
import dev.nnlab.training.HessianAtEnd;
import dev.nnlab.training.SupervisedTraining;
import dev.nnlab.training.WeightImages;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.init.Gaussian;
import dev.nnlab.nn.init.Initializer;
import dev.nnlab.nn.layers.Dense;
import dev.nnlab.nn.loss.Loss;
import dev.nnlab.nn.loss.MulticlassHinge;
import dev.nnlab.nn.loss.SigmoidBinaryCrossEntropy;
import dev.nnlab.nn.loss.SoftmaxCrossEntropy;
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

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Linear classifiers: softmax regression (multinomial logistic regression), or with
 * {@code loss=hinge} the multiclass SVM of CS231n's first assignment. On 2-class data the softmax
 * loss becomes binary logistic regression: one logit and a sigmoid.
 *
 * <p>On image inputs a finished run stores {@value #TEMPLATES}: each class's weights drawn as an
 * image, the "template" the class score matches the input against (CS231n).
 */
public final class SoftmaxRegression implements ModelFamily {

    static final String TEMPLATES = "weight_templates.png";

    private static final ParamSchema SCHEMA = CommonParams.SCHEMA.with(List.of(
            ParamSpec.ofChoice("loss", "cross_entropy", List.of("cross_entropy", "hinge"),
                    "cross_entropy: softmax (logistic) regression; hinge: multiclass SVM with margin 1."),
            HessianAtEnd.PARAM,
            ParamSpec.ofFloat("initStd", 0.001, "Std of the Gaussian initial weights (small, so initial scores are near equal).")
                    .within(Gaussian.STD.atMost(10))));

    @Override public String id() { return "softmax"; }

    @Override public String displayName() { return "Softmax regression"; }

    @Override public String description() {
        return "A linear classifier: scores = x W + b, trained with the softmax cross-entropy (logistic regression) "
                + "or the multiclass hinge loss (SVM). The baseline every deeper model should beat; the place to see "
                + "learning rate, momentum and batch size act on a convex problem.";
    }

    @Override public int apiVersion() { return PluginApi.VERSION; }
    // Built on evolving types (layers, Architecture, SupervisedTraining): declare the revision they come from.
    @Override public int evolvingApiVersion() { return PluginApi.EVOLVING; }

    @Override public ParamSchema params() { return SCHEMA; }

    @Override public Set<DataKind> dataKinds() { return Set.of(DataKind.VECTOR, DataKind.IMAGE); }

    /** One Dense layer: C outputs (1 for two classes with the logistic loss) from every input feature. */
    @Override
    public MemoryEstimate estimateMemory(Map<String, Object> resolvedParams, int[] sampleShape, int classes) {
        long in = 1;
        for (int d : sampleShape) in *= d;
        long out = classes == 2 && !"hinge".equals(resolvedParams.get("loss")) ? 1 : classes;
        long values = in * out + out;
        // input copy, output, input gradient, loss buffers
        return CommonSetup.memoryEstimate(resolvedParams, values, values, in + out + in + 2 * out);
    }

    @Override
    public TrainResult train(TrainingJob job, RunSink sink) {
        LabelledTensors train = job.labelled();
        int classes = train.numClasses();
        boolean hinge = job.stringParam("loss").equals("hinge");
        boolean binary = classes == 2 && !hinge;
        Initializer init = Initializer.named("gaussian", job.doubleParam("initStd"));
        Sequential model = new Sequential(train.sampleShape(), new Dense(binary ? 1 : classes, init, true))
                .initialize(new Rng(job.intParam("seed")));
        Loss loss;
        double expected;
        String why;
        if (hinge) {
            loss = new MulticlassHinge();
            // With near-zero scores every wrong class violates the margin by 1.
            expected = classes - 1;
            why = "C - 1 = " + (classes - 1) + " for near-zero scores";
        } else if (binary) {
            loss = new SigmoidBinaryCrossEntropy();
            expected = Math.log(2);
            why = "ln 2 for a near-zero logit";
        } else {
            loss = new SoftmaxCrossEntropy();
            expected = TrainingDiagnostics.expectedCrossEntropy(classes);
            why = "ln(" + classes + ") for near-equal scores";
        }
        TrainResult result = SupervisedTraining.fit(job, sink, model, loss, expected, why);
        if (result.outcome() == TrainResult.Outcome.FINISHED) {
            WeightImages.report(sink, TEMPLATES, model.params().value(model.name(0) + ".weight"), train.sampleShape(), classes);
        }
        return result;
    }
}
