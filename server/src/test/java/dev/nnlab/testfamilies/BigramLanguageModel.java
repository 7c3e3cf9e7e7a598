package dev.nnlab.testfamilies;

import dev.nnlab.data.TokenStreams;
import dev.nnlab.spi.CommonParams;
import dev.nnlab.spi.DataKind;
import dev.nnlab.spi.ModelFamily;
import dev.nnlab.spi.ParamSchema;
import dev.nnlab.spi.ParamSpec;
import dev.nnlab.spi.PluginApi;
import dev.nnlab.spi.RunSink;
import dev.nnlab.spi.TrainResult;
import dev.nnlab.spi.TrainingJob;

import java.util.List;
import java.util.Set;

/**
 * A test family of token streams: a count-based bigram language model with add-k smoothing,
 * {@code p(next | prev) = (c(prev, next) + k) / (c(prev) + k V)}. Epoch e counts the e-th share of
 * the training stream, so the validation perplexity falls epoch by epoch like a learning curve.
 * Loss and perplexity count predicted tokens, as a language model's do.
 */
public final class BigramLanguageModel implements ModelFamily {
    private static final ParamSchema SCHEMA = CommonParams.schemaFor(Set.of(DataKind.TOKEN_STREAM)).with(List.of(
            ParamSpec.ofFloat("smoothing", 0.1, "Add-k smoothing of the bigram counts.").min(0, false)));

    @Override public String id() { return "bigram"; }
    @Override public String displayName() { return "Bigram counts"; }
    @Override public String description() { return "A count-based bigram language model (a test family)."; }
    @Override public int apiVersion() { return PluginApi.VERSION; }
    @Override public ParamSchema params() { return SCHEMA; }
    @Override public Set<DataKind> dataKinds() { return Set.of(DataKind.TOKEN_STREAM); }

    @Override
    public TrainResult train(TrainingJob job, RunSink sink) {
        TokenStreams data = job.tokens();
        int v = data.vocabulary().size();
        double k = job.doubleParam("smoothing");
        int epochs = job.intParam("epochs");
        long[][] pairs = new long[v][v];
        long[] rows = new long[v];
        int[] train = data.train();
        long seen = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            int from = (int) ((long) train.length * (epoch - 1) / epochs), to = (int) ((long) train.length * epoch / epochs);
            for (int i = Math.max(1, from); i < to; i++) {
                pairs[train[i - 1]][train[i]]++;
                rows[train[i - 1]]++;
            }
            seen = to;
            sink.metric("tokens", epoch, epoch, seen);
            sink.metric("train_loss", epoch, epoch, loss(pairs, rows, k, train));
            double val = loss(pairs, rows, k, data.validation());
            sink.metric("val_loss", epoch, epoch, val);
            sink.metric("val_ppl", epoch, epoch, Math.exp(val));
            if (sink.stopRequested()) return TrainResult.stopped();
        }
        double test = loss(pairs, rows, k, data.test());
        sink.metric("test_loss", epochs, epochs, test);
        sink.metric("test_ppl", epochs, epochs, Math.exp(test));
        sink.metric("val_unigram_ppl", epochs, epochs, data.unigramPerplexity(data.validation()));
        return TrainResult.finished();
    }

    /** Mean negative log-likelihood per predicted token (every token but the first). */
    static double loss(long[][] pairs, long[] rows, double k, int[] part) {
        int v = rows.length;
        double nll = 0;
        for (int i = 1; i < part.length; i++) {
            nll -= Math.log((pairs[part[i - 1]][part[i]] + k) / (rows[part[i - 1]] + k * v));
        }
        return nll / (part.length - 1);
    }
}
