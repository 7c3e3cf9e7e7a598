package dev.nnlab.testfamilies;

import dev.nnlab.data.SentenceReader;
import dev.nnlab.data.TextCorpus;
import dev.nnlab.data.WordCounts;
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
 * A test family of text corpora: counts word co-occurrences within a window, reading the corpus as
 * {@code shares} separate shares (as Hogwild threads would), and reports each word's nearest
 * neighbour by the cosine of positive-PMI vectors as an event {@code nearest_neighbour} with the
 * message {@code "word -> neighbour"}. Metrics: the words and sentences it read.
 */
public final class CooccurrenceCounts implements ModelFamily {
    private static final ParamSchema SCHEMA = CommonParams.schemaFor(Set.of(DataKind.TEXT_CORPUS)).with(List.of(
            ParamSpec.ofInt("window", 5, "Words on each side that count as context.").min(1, true),
            ParamSpec.ofInt("shares", 3, "Shares the corpus is read in.").min(1, true)));

    @Override public String id() { return "cooccurrence"; }
    @Override public String displayName() { return "Co-occurrence counts"; }
    @Override public String description() { return "PPMI vectors from co-occurrence counts (a test family)."; }
    @Override public int apiVersion() { return PluginApi.VERSION; }
    @Override public ParamSchema params() { return SCHEMA; }
    @Override public Set<DataKind> dataKinds() { return Set.of(DataKind.TEXT_CORPUS); }

    @Override
    public TrainResult train(TrainingJob job, RunSink sink) throws Exception {
        TextCorpus corpus = job.corpus();
        WordCounts counts = corpus.wordCounts();
        int v = counts.size(), window = job.intParam("window"), shares = job.intParam("shares");
        java.util.Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < v; i++) index.put(counts.word(i), i);
        double[][] co = new double[v][v];
        long words = 0, sentences = 0;
        for (int share = 0; share < shares; share++) {
            try (SentenceReader r = corpus.sentences(share, shares)) {
                for (String[] s = r.next(); s != null; s = r.next()) {
                    sentences++;
                    words += s.length;
                    for (int i = 0; i < s.length; i++) {
                        for (int j = Math.max(0, i - window); j <= Math.min(s.length - 1, i + window); j++) {
                            if (j != i) co[index.get(s[i])][index.get(s[j])]++;
                        }
                    }
                }
            }
        }
        sink.metric("words", 1, 1, words);
        sink.metric("sentences", 1, 1, sentences);
        double[][] ppmi = ppmi(co);
        for (int w = 0; w < v; w++) {
            int best = -1;
            double bestCos = Double.NEGATIVE_INFINITY;
            for (int u = 0; u < v; u++) {
                if (u == w) continue;
                double c = cosine(ppmi[w], ppmi[u]);
                if (c > bestCos) {
                    bestCos = c;
                    best = u;
                }
            }
            sink.event(1, RunSink.Severity.INFO, "nearest_neighbour", counts.word(w) + " -> " + counts.word(best), "");
        }
        return TrainResult.finished();
    }

    private static double[][] ppmi(double[][] co) {
        int v = co.length;
        double total = 0;
        double[] row = new double[v], col = new double[v];
        for (int i = 0; i < v; i++) for (int j = 0; j < v; j++) {
            total += co[i][j];
            row[i] += co[i][j];
            col[j] += co[i][j];
        }
        double[][] out = new double[v][v];
        for (int i = 0; i < v; i++) for (int j = 0; j < v; j++) {
            if (co[i][j] > 0) out[i][j] = Math.max(0, Math.log(co[i][j] * total / (row[i] * col[j])));
        }
        return out;
    }

    private static double cosine(double[] a, double[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
    }
}
