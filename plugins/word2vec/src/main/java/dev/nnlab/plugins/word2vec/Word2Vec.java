package dev.nnlab.plugins.word2vec;

import dev.nnlab.data.TextCorpus;
import dev.nnlab.data.TrainingData;
import dev.nnlab.nn.Range;
import dev.nnlab.plugins.word2vec.eval.Projection;
import dev.nnlab.plugins.word2vec.eval.WordVectors;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * word2vec (Mikolov et al. 2013): skip-gram or CBOW word embeddings, trained with negative
 * sampling and/or hierarchical softmax by Hogwild threads that share the tables. A finished run
 * stores its vectors in word2vec's text format ({@value #VECTORS}) and a 2-D PCA projection of the
 * most frequent words for the embedding projector ({@value #PROJECTION}).
 *
 * <p>The schema keeps only the training parameters that mean something here (lr, epochs, seed,
 * logEvery): word2vec has no optimizer, batches or schedule other than its linear decay.
 */
public final class Word2Vec implements ModelFamily {
    static final String VECTORS = "vectors.txt";
    static final String VECTORS_TYPE = "text/plain; charset=utf-8";
    static final String PROJECTION = "projection.json";
    static final int PROJECTED_WORDS = 500;

    private static final ParamSchema SCHEMA = new ParamSchema(List.of(
            ParamSpec.ofChoice("model", "skipgram", List.of("skipgram", "cbow"),
                    "skipgram: each context word predicts the centre word; cbow: the mean of the context predicts it."),
            ParamSpec.ofInt("dim", 100, "Vector dimensions.").min(1, true).max(4096, true),
            ParamSpec.ofInt("window", 5, "Maximum distance between centre and context word; each position draws 1..window.")
                    .min(1, true).max(100, true),
            ParamSpec.ofChoice("output", "negative", List.of("negative", "hs", "both"),
                    "Output layer: negative sampling, hierarchical softmax over a Huffman tree of the vocabulary, or both."),
            ParamSpec.ofInt("negative", 5, "Negative samples per target, drawn from unigram^0.75 (output negative or both).")
                    .min(1, true).max(100, true),
            ParamSpec.ofFloat("sample", 1e-3, "Subsampling threshold for frequent words; 0 keeps every word.")
                    .within(Range.atLeast(0)).max(1, true),
            ParamSpec.ofBool("sharedNegatives", false, "Skip-gram with negative sampling only: draw the negatives once per "
                    + "centre word and share them among its context words (Ji et al. 2016, pWord2Vec), so each output row is "
                    + "fetched once per centre word instead of once per pair: faster, at about the same quality."),
            ParamSpec.ofInt("minCount", 5, "Words seen fewer times are dropped from the vocabulary.").min(1, true).max(1000, true),
            ParamSpec.ofFloat("lr", 0.025, "Initial learning rate (word2vec.c: 0.025 for skip-gram, 0.05 for CBOW), "
                    + "decayed linearly over all epochs; at most 0.25, ten times the usual rate (at 1, skip-gram diverged on word-groups).").min(0, false).max(0.25, true).onLogScale(),
            ParamSpec.ofFloat("minLrFraction", 1e-4, "The learning rate never falls below lr x this.").min(0, true).max(1, true),
            ParamSpec.ofInt("epochs", 5, "Passes over the corpus.").min(1, true).max(1000, true),
            CommonParams.TRAINING.spec("seed"),
            ParamSpec.ofString("analogy", RunEvaluation.NONE, "Analogy questions scored once trained (accuracy and coverage): "
                    + RunEvaluation.HELP + ", in the format of word2vec's questions-words.txt."),
            ParamSpec.ofString("wordsim", RunEvaluation.NONE, "Rated word pairs scored once trained (Spearman), e.g. wordsim353: "
                    + RunEvaluation.HELP + "; word1<TAB>word2<TAB>rating lines."),
            ParamSpec.ofString("simlex", RunEvaluation.NONE, "A second file of rated word pairs, e.g. simlex999: " + RunEvaluation.HELP + "."),
            ParamSpec.ofInt("logEvery", 10, "Report loss, words/s and lr every this many batches of "
                    + TrainingProgress.BATCH_WORDS + " words.").min(1, true)));

    @Override public String id() { return "word2vec"; }

    @Override public String displayName() { return "word2vec"; }

    @Override public String description() {
        return "Word embeddings from co-occurrence: skip-gram (each context word predicts the centre word) or CBOW "
                + "(their mean does), with negative sampling or hierarchical softmax, subsampling of frequent words and "
                + "Hogwild threads. Shows how vectors come to encode similarity and analogies; browse them in the "
                + "embedding projector.";
    }

    @Override public int apiVersion() { return PluginApi.VERSION; }
    // Built on evolving types (layers, Architecture, SupervisedTraining): declare the revision they come from.
    @Override public int evolvingApiVersion() { return PluginApi.EVOLVING; }

    @Override public ParamSchema params() { return SCHEMA; }

    @Override public Set<DataKind> dataKinds() { return Set.of(DataKind.TEXT_CORPUS); }

    /** Refuses, before the run is recorded, what only the corpus can tell: an empty vocabulary, a corpus within one window. */
    @Override
    public void checkFits(Map<String, Object> params, TrainingData data) {
        RunEvaluation.of(params);
        if (data instanceof TextCorpus corpus) vocabulary(Settings.of(new TrainingJob(params, corpus, null, 1)), corpus);
    }

    private static TrainingVocabulary vocabulary(Settings s, TextCorpus corpus) {
        TrainingVocabulary vocab = TrainingVocabulary.of(corpus.wordCounts(), s.minCount(), s.sample());
        if (vocab.total() <= s.window()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s holds %d words of the vocabulary, not more "
                    + "than window=%d; allowed: a window below %d, or a larger corpus", corpus.name(), vocab.total(), s.window(), vocab.total()));
        }
        return vocab;
    }

    @Override
    public TrainResult train(TrainingJob job, RunSink sink) throws IOException {
        Settings s = Settings.of(job);
        TextCorpus corpus = job.corpus();
        TrainingVocabulary vocab = vocabulary(s, corpus);
        Rng rng = new Rng(s.seed());
        EmbeddingTables tables = new EmbeddingTables(vocab.size(), s.dim(), s.negative() > 0, s.hierarchicalSoftmax(), rng.fork(1));
        NegativeSampler sampler = s.negative() > 0 ? new NegativeSampler(vocab.counts()) : null;
        HuffmanTree tree = s.hierarchicalSoftmax() ? new HuffmanTree(vocab.counts()) : null;
        int threads = Math.max(1, job.threads());
        sink.event(0, RunSink.Severity.INFO, "word2vec_setup", String.format(Locale.ROOT,
                "%d of %d distinct words kept (minCount=%d), %d running words per epoch; tables %.1f MB (rows padded %d -> %d), "
                        + "negative-sampling alias table %.1f KB; %d Hogwild threads",
                vocab.size(), corpus.wordCounts().size(), s.minCount(), vocab.total(), tables.heapBytes() / 1e6, s.dim(),
                tables.stride, sampler == null ? 0.0 : sampler.heapBytes() / 1e3, threads),
                "words/s counts in-vocabulary words before subsampling, as word2vec.c and gensim do");

        TrainingProgress progress = new TrainingProgress(sink, s, vocab.total());
        EncodedShare[] shares = new EncodedShare[threads];
        // Later epochs replay the first one's row indices when they fit a quarter of the free heap.
        long budget = s.epochs() > 1 ? freeHeap() / 4 / threads : 0;
        for (int k = 0; k < threads; k++) shares[k] = new EncodedShare(budget);
        for (int epoch = 1; epoch <= s.epochs(); epoch++) {
            boolean goOn = runEpoch(s, vocab, tables, sampler, tree, progress, sink, corpus, shares, threads, rng.fork(1000 + epoch));
            progress.epochDone(epoch);
            if (progress.divergence() != null) return TrainResult.diverged(progress.divergence());
            if (!goOn) return TrainResult.stopped();
        }
        WordVectors vectors = new WordVectors(vocab.words(), tables.input, tables.stride, s.dim());
        sink.artifact(VECTORS, VECTORS_TYPE, vectors::writeText);
        sink.artifact(PROJECTION, Projection.MEDIA_TYPE, Projection.json(vectors, PROJECTED_WORDS));
        // The evaluation files were read and checked at planning (checkFits); read again only now, so
        // that parsing 20k analogy questions is not part of the training time and the vectors are
        // stored even if a file went missing since.
        RunEvaluation evaluation = RunEvaluation.of(job.params());
        if (evaluation.any()) evaluation.record(vectors, sink, progress.batches(), s.epochs());
        return TrainResult.finished();
    }

    private static long freeHeap() {
        Runtime r = Runtime.getRuntime();
        return r.maxMemory() - (r.totalMemory() - r.freeMemory());
    }

    /** One epoch: each thread trains its own share of the corpus with its own random stream. */
    private static boolean runEpoch(Settings s, TrainingVocabulary vocab, EmbeddingTables tables, NegativeSampler sampler,
                                    HuffmanTree tree, TrainingProgress progress, RunSink sink, TextCorpus corpus,
                                    EncodedShare[] shares, int threads, Rng rng) throws IOException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        boolean[] finished = new boolean[threads];
        List<Thread> started = new ArrayList<>();
        for (int k = 0; k < threads; k++) {
            int part = k;
            HogwildWorker w = new HogwildWorker(s, vocab, tables, sampler, tree, progress, sink, rng.fork(k).nextLong());
            Runnable body = () -> {
                try {
                    finished[part] = w.train(corpus, part, threads, shares[part]);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            };
            if (k == threads - 1) body.run();
            else started.add(Thread.ofPlatform().name("word2vec-" + k).daemon().start(body));
        }
        for (Thread t : started) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while word2vec threads were training", e);
            }
        }
        Throwable f = failure.get();
        if (f instanceof IOException io) throw io;
        if (f instanceof UncheckedIOException u) throw u.getCause();
        if (f instanceof RuntimeException r) throw r;
        if (f instanceof Error e) throw e;
        if (f != null) throw new IllegalStateException(f);
        for (boolean b : finished) if (!b) return false;
        return true;
    }
}
