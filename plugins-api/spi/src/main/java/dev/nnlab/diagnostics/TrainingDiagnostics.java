package dev.nnlab.diagnostics;

import dev.nnlab.spi.RunSink;
import dev.nnlab.spi.RunSink.Severity;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Watches a run's numbers and records, once each, the classic symptoms with a plain-language
 * hint (the CS231n "babysitting the learning process" checklist):
 * <ul>
 *   <li>{@code initial_loss}: the first loss is far from what small random weights give (ln C for
 *       softmax cross-entropy);</li>
 *   <li>{@code nan}: the loss or a parameter became NaN or infinite; the run ends DIVERGED at that step;</li>
 *   <li>{@code exploding}: the loss rose above 3x its initial value;</li>
 *   <li>{@code dead_relu_50} (warning) / {@code dead_relu_20} (information): more than half / a fifth
 *       of a layer's units are dead: they never fired over a whole logging window of training batches
 *       ({@code dead_fraction}) or on the epoch-end validation probe ({@code dead_fraction_probe}).
 *       A fifth to a half is information, not a warning: a healthy W3 net (Adam 1e-3, 98.9% on MNIST)
 *       loses about a third of its fc128 units in its first ten steps, in PyTorch as in nnlab, because
 *       Adam's first updates move every weight by about lr at once and 3,136 non-negative inputs add
 *       them up; the rest of the layer carries the task. CS231n's pathology ("as much as 40% of your
 *       network" dead at too high a learning rate) is most of a layer, which SGD at lr 3 shows;</li>
 *   <li>{@code negative_units}: more than 20% of the units of a LeakyReLU/PReLU/ELU/Maxout layer stayed
 *       negative over a window ({@code negative_fraction}); informational, as these still pass gradient;</li>
 *   <li>{@code overfitting}: validation loss rising while training loss falls;</li>
 *   <li>{@code vanishing_gradients}: the first layer's gradient norm is tiny next to the last layer's;</li>
 *   <li>{@code plateau}: the training loss stopped improving while still high.</li>
 * </ul>
 *
 * <p>Stability: evolving; the shared loop may gain steps and options (by new methods, defaults unchanged).
 */
public final class TrainingDiagnostics {
    /** Below this ratio of first- to last-layer gradient norm, early layers effectively stop learning. */
    public static final double VANISHING_RATIO = 1e-3;
    public static final double EXPLODING_FACTOR = 3.0;
    /** Above this share of dead units in one layer, a warning: most of the layer is lost. */
    public static final double DEAD_WARNING = 0.50;
    /** Above this share, information: capacity unused, common and harmless in healthy nets (see the class comment). */
    public static final double DEAD_NOTICE = 0.20;

    private final RunSink sink;
    private final double expectedInitialLoss;
    private final String expectedWhy;
    private final Set<String> reported = new HashSet<>();

    private double initialLoss = Double.NaN;
    private double bestVal = Double.POSITIVE_INFINITY;
    private int bestValEpoch = -1;
    private double prevTrain = Double.NaN, prevVal = Double.NaN;
    private int risingValEpochs;
    private double plateauRef = Double.NaN;
    private int flatEpochs;

    /**
     * @param expectedInitialLoss what the loss should be with small random weights (NaN: unknown)
     * @param expectedWhy         how that was derived, e.g. "ln(10) for 10 classes"
     */
    public TrainingDiagnostics(RunSink sink, double expectedInitialLoss, String expectedWhy) {
        this.sink = sink;
        this.expectedInitialLoss = expectedInitialLoss;
        this.expectedWhy = expectedWhy;
    }

    /** Softmax cross-entropy over C classes starts at ln C when all logits are about equal. */
    public static double expectedCrossEntropy(int classes) { return Math.log(classes); }

    /**
     * A training-loss observation. Returns false when the loss is NaN or infinite: the caller ends
     * the run as DIVERGED.
     */
    public boolean onTrainLoss(long step, double loss) {
        if (!Double.isFinite(loss)) {
            once("nan", step, Severity.ERROR, "loss became " + loss + " at step " + step,
                    "The run diverged. Lower the learning rate (often 3-10x), add gradient clipping (clipNorm), "
                            + "or check for log(0) in a hand-written loss.");
            return false;
        }
        if (Double.isNaN(initialLoss)) {
            initialLoss = loss;
            checkInitialLoss(step, loss);
        } else if (loss > EXPLODING_FACTOR * initialLoss && initialLoss > 0) {
            once("exploding", step, Severity.WARNING,
                    fmt("loss %.4g is above %.0fx its initial value %.4g", loss, EXPLODING_FACTOR, initialLoss),
                    "The loss is exploding: the learning rate is probably too high. Try 3-10x lower, "
                            + "or warm-up and gradient clipping.");
        }
        return true;
    }

    /**
     * A parameter became NaN or infinite where no loss has seen it yet (after the last step of an
     * epoch or of the run); the caller ends the run as DIVERGED.
     */
    public void onNonFiniteParameter(long step, String parameter) {
        once("nan", step, Severity.ERROR, "parameter " + parameter + " became NaN or infinite by step " + step,
                "The run diverged in its last optimizer steps. Lower the learning rate (often 3-10x) or add "
                        + "gradient clipping (clipNorm).");
    }

    /**
     * The loss over the validation or test part came out NaN or infinite although every parameter is
     * finite (weights so large that the scores overflow); the caller ends the run as DIVERGED.
     */
    public void onNonFiniteEvaluation(long step, String part, double loss) {
        once("nan", step, Severity.ERROR, part + " loss became " + loss + " at step " + step,
                "The run diverged: the weights grew so large that the scores overflow. Lower the learning rate "
                        + "(often 3-10x) or add gradient clipping (clipNorm).");
    }

    private void checkInitialLoss(long step, double loss) {
        if (Double.isNaN(expectedInitialLoss) || expectedInitialLoss <= 0) return;
        double ratio = loss / expectedInitialLoss;
        if (ratio > 1.5 || ratio < 0.5) {
            once("initial_loss", step, Severity.WARNING,
                    fmt("initial loss %.4g is far from the expected %.4g (%s)", loss, expectedInitialLoss, expectedWhy),
                    ratio > 1 ? "Weights start too large (logits far from equal): use a smaller init std or Xavier/He init. "
                            + "Also check that the loss is averaged over the batch."
                            : "The loss starts lower than chance allows: check the labels and that the loss is not "
                            + "computed on the wrong outputs.");
        } else {
            once("initial_loss_ok", step, Severity.INFO,
                    fmt("initial loss %.4g is close to the expected %.4g (%s)", loss, expectedInitialLoss, expectedWhy),
                    "Sanity check passed: the network starts from near-uniform predictions.");
        }
    }

    /**
     * A per-layer statistic; only the unit shares are judged here: {@code dead_fraction} (training
     * batches since the previous point), {@code dead_fraction_probe} (the epoch-end validation probe)
     * and {@code negative_fraction}.
     */
    public void onLayerStat(long step, String layer, String stat, double value) {
        if (!Double.isFinite(value)) return;
        if ("negative_fraction".equals(stat)) {
            if (value > 0.20) {
                once("negative_units:" + layer, "negative_units", step, Severity.INFO,
                        fmt("%.0f%% of the units of %s output no positive value on any training sample since the previous point",
                                100 * value, layer),
                        "These units are not dead: LeakyReLU, PReLU, ELU and Maxout still pass gradient on the negative "
                                + "side, so they can recover. A share that keeps growing still hints at a learning rate that is too high.");
            }
            return;
        }
        String over;
        if ("dead_fraction".equals(stat)) over = "every training sample since the previous point";
        else if ("dead_fraction_probe".equals(stat)) over = "every sample of the validation probe";
        else return;
        if (value > DEAD_WARNING) {
            once("dead_relu_50:" + layer, "dead_relu_50", step, Severity.WARNING,
                    fmt("%.0f%% of the units of %s are dead (output 0 for %s)", 100 * value, layer, over),
                    "Most of the layer no longer learns: large updates pushed its ReLUs where they never fire again. "
                            + "Lower the learning rate (often 3-10x), use He init and zero biases, or try LeakyReLU/ELU, "
                            + "whose units still pass gradient on the negative side and so cannot die.");
        }
        if (value > DEAD_NOTICE) {
            once("dead_relu_20:" + layer, "dead_relu_20", step, Severity.INFO,
                    fmt("%.0f%% of the units of %s are dead (output 0 for %s)", 100 * value, layer, over),
                    "That capacity is unused, which is harmless while the rest of the layer learns the task. Typical "
                            + "cause: Adam's first steps move every weight by about lr at once, and a wide layer with "
                            + "non-negative inputs (after ReLU and pooling) adds those moves up. Smaller first steps (a lower "
                            + "learning rate, or warm-up) keep more of them; a share that keeps growing means the learning "
                            + "rate is too high.");
        }
    }

    /** Gradient norms of the first and the last layer with parameters, from the same step. */
    public void onGradientNorms(long step, String firstLayer, double first, String lastLayer, double last) {
        if (last > 0 && Double.isFinite(first) && first < VANISHING_RATIO * last) {
            once("vanishing_gradients", step, Severity.WARNING,
                    fmt("gradient norm of %s (%.3g) is %.2g times that of %s (%.3g)", firstLayer, first, first / last, lastLayer, last),
                    "Gradients vanish on their way back: early layers barely learn. Typical causes: saturating "
                            + "sigmoid/tanh in a deep stack, too small initial weights. Try Xavier/He init, ReLU, or batch norm.");
        }
    }

    /** End-of-epoch losses (valLoss NaN when there is no validation set). */
    public void onEpoch(long step, int epoch, double trainLoss, double valLoss) {
        if (Double.isFinite(valLoss)) {
            if (valLoss < bestVal) {
                bestVal = valLoss;
                bestValEpoch = epoch;
            }
            boolean valUp = Double.isFinite(prevVal) && valLoss > prevVal;
            boolean trainDown = Double.isFinite(prevTrain) && trainLoss < prevTrain;
            risingValEpochs = valUp && trainDown ? risingValEpochs + 1 : 0;
            if (risingValEpochs >= 2) {
                once("overfitting", step, Severity.WARNING,
                        fmt("validation loss rose for %d epochs while training loss fell; best validation loss %.4g at epoch %d",
                                risingValEpochs, bestVal, bestValEpoch),
                        "The model is overfitting: early stopping would have stopped at epoch " + bestValEpoch
                                + ". More data, augmentation, dropout or L2 (weightDecay) narrow the gap.");
            }
            prevVal = valLoss;
        }
        if (Double.isFinite(plateauRef) && trainLoss > plateauRef * 0.99) {
            flatEpochs++;
        } else {
            flatEpochs = 0;
            plateauRef = trainLoss;
        }
        if (flatEpochs >= 3 && Double.isFinite(initialLoss) && trainLoss > 0.5 * initialLoss) {
            once("plateau", step, Severity.INFO,
                    fmt("training loss has improved by less than 1%% for %d epochs and is still %.4g", flatEpochs, trainLoss),
                    "A plateau: the learning rate may be too low, or a schedule decayed it too early.");
        }
        prevTrain = trainLoss;
    }

    private void once(String code, long step, Severity s, String message, String hint) {
        once(code, code, step, s, message, hint);
    }

    private void once(String key, String code, long step, Severity s, String message, String hint) {
        if (reported.add(key)) sink.event(step, s, code, message, hint);
    }

    private static String fmt(String f, Object... args) { return String.format(Locale.ROOT, f, args); }
}
