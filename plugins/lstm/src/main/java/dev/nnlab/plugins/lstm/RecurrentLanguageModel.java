package dev.nnlab.plugins.lstm;

import dev.nnlab.data.SequenceSamples;
import dev.nnlab.data.TokenStreams;
import dev.nnlab.data.TrainingData;
import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Range;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.init.Uniform;
import dev.nnlab.nn.layers.Dropout;
import dev.nnlab.nn.layers.Embedding;
import dev.nnlab.nn.layers.Gru;
import dev.nnlab.nn.layers.Lstm;
import dev.nnlab.nn.layers.Recurrent;
import dev.nnlab.nn.layers.Rnn;
import dev.nnlab.nn.layers.SequenceDense;
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
 * Recurrent language models (family {@code lstm}): embedding -> {@code layers} recurrent layers
 * ({@code cell: lstm | gru | rnn}) -> a per-step decoder to vocabulary logits, trained with
 * truncated backpropagation through time on token streams, word level ({@code ptb},
 * {@code text:FILE}, {@code markov-text}) or character level ({@code tinyshakespeare},
 * {@code chars:FILE}). Dropout follows Zaremba et al. (2014): on the embedding output, between
 * layers and before the decoder, never on the recurrent path. Defaults are their "small" model
 * (W5): 2 x 200 LSTM, BPTT 20, batch 20, SGD lr 1, global-norm clip 5, uniform(-0.1, 0.1), with their
 * objective: the window's loss summed over its steps and averaged over the rows ({@code lossPer: window}).
 */
public final class RecurrentLanguageModel implements ModelFamily {
    public static final List<String> CELLS = List.of("lstm", "gru", "rnn");
    public static final List<String> LOSS_PER = List.of("window", "token");

    /** Widest recurrent layer and embedding: Zaremba et al.'s "large" model is 1500 wide. */
    public static final int MAX_WIDTH = 1500;
    private static final ParamSchema SCHEMA = CommonParams.schemaFor(Set.of(DataKind.TOKEN_STREAM, DataKind.SEQUENCES)).with(List.of(
            ParamSpec.ofChoice("cell", "lstm", CELLS, "Recurrent cell: lstm (gated memory), gru, or rnn (vanilla tanh)."),
            ParamSpec.ofInt("layers", 2, "Stacked recurrent layers.").within(Range.closed(1, 8)),
            ParamSpec.ofInt("hidden", 200, "Units per recurrent layer.").within(Recurrent.HIDDEN.atMost(MAX_WIDTH)),
            ParamSpec.ofInt("embedding", 200, "Width of the token embedding.").within(Embedding.SIZE.atMost(MAX_WIDTH)),
            ParamSpec.ofInt("bptt", 20, "Steps per window of truncated backpropagation through time; the state "
                    + "carries across windows, the gradient does not.").within(Range.closed(1, 2000)),
            ParamSpec.ofFloat("dropout", 0.0, "Dropout on the embedding, between layers and before the decoder "
                    + "(never on the recurrent path).").within(Dropout.P),
            ParamSpec.ofFloat("initRange", 0.1, "Every weight and bias starts uniform(-initRange, initRange).")
                    .within(Uniform.LIMIT.atMost(10)),
            ParamSpec.ofFloat("forgetBias", 0.0, "Added to the LSTM forget gates' initial bias (1 lets gradient "
                    + "through from the start); ignored by gru and rnn.").within(Lstm.FORGET_BIAS),
            ParamSpec.ofInt("batchSize", 20, "Parallel streams per batch (rows of the token stream), or samples per "
                    + "mini-batch of a sequence task.").min(1, true).max(1024, true),
            ParamSpec.ofFloat("lr", 1.0, "Base learning rate.").within(dev.nnlab.optim.schedule.LearningRateSchedule.BASE_LR.atMost(100)).onLogScale(),
            ParamSpec.ofChoice("lossPer", "window", LOSS_PER, "What the gradient of a language model's cross-entropy "
                    + "averages over: window (Zaremba et al.: summed over a window's bptt steps, averaged over the batchSize rows; "
                    + "their lr 1 and clipNorm 5 are in these units) or token (the mean over every token: bptt times smaller "
                    + "steps). Reported losses are per token either way; sequence tasks average over samples."),
            ParamSpec.ofFloat("clipNorm", 5.0, "Clip gradients (the embedding's touched rows included) to this global "
                    + "L2 norm; 0 turns clipping off.").within(Range.atLeast(0)),
            ParamSpec.ofInt("epochs", 1, "Passes over the training stream.").min(1, true).max(100000, true),
            ParamSpec.ofInt("valEvery", 0, "Validation loss and perplexity (or bpc) every this many steps besides each "
                    + "epoch's end; 0: every logEvery steps. A value beyond the steps of an epoch validates per epoch only.")
                    .within(Range.closed(0, 1_000_000_000))));

    @Override public String id() { return "lstm"; }

    @Override public String displayName() { return "Recurrent language model (LSTM, GRU, RNN)"; }

    @Override public String description() {
        return "A language model that reads a token stream one step at a time: embedding, stacked LSTM, GRU or "
                + "vanilla RNN layers, and a softmax over the vocabulary, trained with truncated backpropagation "
                + "through time. Perplexity (words) or bits per character (characters) on train and validation; "
                + "gate saturation and the gradient reaching the start of each window show vanishing gradients.";
    }

    @Override public int apiVersion() { return PluginApi.VERSION; }

    /** Revision 2: the SEQUENCES data kind. */
    @Override public int evolvingApiVersion() { return PluginApi.EVOLVING; }

    @Override public ParamSchema params() { return SCHEMA; }

    @Override public Set<DataKind> dataKinds() { return Set.of(DataKind.TOKEN_STREAM, DataKind.SEQUENCES); }

    /**
     * For token streams {@code classes} is the vocabulary; for a sequence task {@code sampleShape} is
     * {@code (steps, channels)} and {@code classes} 1 (adding) or the copy alphabet. See {@link RecurrentMemory}.
     */
    @Override
    public MemoryEstimate estimateMemory(Map<String, Object> resolvedParams, int[] sampleShape, int classes) {
        return RecurrentMemory.estimate(resolvedParams, sampleShape, classes);
    }

    /** A language model needs one window of {@code bptt} tokens in each of {@code batchSize} rows of the training stream. */
    @Override
    public void checkFits(Map<String, Object> params, TrainingData data) {
        if (!(data instanceof TokenStreams tokens)) return;
        checkWindow(tokens, ((Number) params.get("bptt")).intValue(), ((Number) params.get("batchSize")).intValue());
    }

    static void checkWindow(TokenStreams data, int bptt, int rows) {
        long need = TokenWindows.minimumTokens(rows, bptt);
        if (data.train().length < need) {
            throw new IllegalArgumentException("the training stream of " + data.name() + " has " + data.train().length + " tokens, fewer than one "
                    + "window of bptt = " + bptt + " in each of batchSize = " + rows + " rows needs (" + need + "); lower bptt or batchSize");
        }
    }

    @Override
    public TrainResult train(TrainingJob job, RunSink sink) {
        if (job.data() instanceof SequenceSamples) return new SequenceTaskTraining(job, sink).run();
        TokenStreams data = job.tokens();
        Sequential model = build(job, data.vocabulary().size());
        return new LanguageModelTraining(job, sink, model, data).run();
    }

    /** The network for a vocabulary of {@code vocab} ids, initialised from {@code seed}. */
    static Sequential build(TrainingJob job, int vocab) { return build(job, vocab, job.intParam("bptt")); }

    /** The same network reading {@code steps} tokens per window (1 for sampling one token at a time). */
    static Sequential build(TrainingJob job, int vocab, int steps) {
        int layers = job.intParam("layers"), hidden = job.intParam("hidden");
        float dropout = (float) job.doubleParam("dropout");
        Uniform init = new Uniform(job.doubleParam("initRange"));
        List<Layer> stack = new ArrayList<>();
        stack.add(new Embedding(vocab, job.intParam("embedding"), init));
        if (dropout > 0) stack.add(new Dropout(dropout));
        for (int l = 0; l < layers; l++) {
            stack.add(cell(job.stringParam("cell"), hidden, init, (float) job.doubleParam("forgetBias")));
            if (dropout > 0) stack.add(new Dropout(dropout));
        }
        stack.add(new SequenceDense(vocab, init));
        Sequential model = new Sequential(new int[] {steps}, stack).initialize(new Rng(job.intParam("seed")));
        for (Layer l : model.layers()) if (l instanceof Recurrent r) r.carryState(true);
        return model;
    }

    static Recurrent cell(String kind, int hidden, Uniform init, float forgetBias) {
        return switch (kind) {
            case "lstm" -> new Lstm(hidden, init, forgetBias);
            case "gru" -> new Gru(hidden, init);
            case "rnn" -> new Rnn(hidden, init);
            default -> throw new IllegalArgumentException("cell = '" + kind + "' is not allowed; allowed: " + CELLS);
        };
    }
}
