package dev.nnlab.plugins.word2vec;

import dev.nnlab.data.SentenceReader;
import dev.nnlab.data.TextCorpus;
import dev.nnlab.kernels.EmbeddingRows;
import dev.nnlab.spi.RunSink;

import java.io.IOException;
import java.util.Arrays;

/**
 * One Hogwild thread of one epoch: streams its share of the corpus, drops out-of-vocabulary words,
 * subsamples frequent ones, and trains skip-gram or CBOW on each position with a window shrunk at
 * random (word2vec.c's dynamic window, which weighs near words more). It has its own random stream
 * and scratch rows, and writes into the shared {@link EmbeddingTables} without locks.
 */
final class HogwildWorker {
    /** Longer sentences are cut, as word2vec.c cuts at 1000 words: a corpus without line breaks still trains. */
    static final int MAX_SENTENCE = 1000;

    private final Settings s;
    private final TrainingVocabulary vocab;
    private final EmbeddingTables t;
    private final NegativeSampler sampler;
    private final HuffmanTree tree;
    private final TrainingProgress progress;
    private final RunSink sink;
    private final int stride;
    private final float[] work, hidden;
    private final int[] sentence = new int[MAX_SENTENCE];
    /** The context rows of one centre word (CBOW, shared negatives), its output rows, labels and their dots; gradients for shared negatives. */
    private final boolean shared;
    private final int[] ctxRows;
    /** This centre word's output rows and labels ({@code drawn} of them), and the next one's, drawn ahead. */
    private int[] outRows, labels, aheadRows, aheadLabels;
    private int drawn, aheadOutputs;
    /** The output rows a centre word's update changes (those not saturated) and their gradients. */
    private final int[] updateRows;
    private final float[] updateGradients;
    /** The sum of the touched floats: kept so the loads are not optimised away; never read. */
    private float touched;
    private final float[] gradients, works, dots;
    private long random;
    private float lr;
    private double loss;
    private long terms;

    HogwildWorker(Settings s, TrainingVocabulary vocab, EmbeddingTables t, NegativeSampler sampler, HuffmanTree tree,
                  TrainingProgress progress, RunSink sink, long seed) {
        this.s = s;
        this.vocab = vocab;
        this.t = t;
        this.sampler = sampler;
        this.tree = tree;
        this.progress = progress;
        this.sink = sink;
        this.stride = t.stride;
        this.work = new float[stride];
        this.hidden = new float[stride];
        this.shared = s.skipGram() && s.sharedNegatives() && s.negative() > 0 && !s.hierarchicalSoftmax();
        int contexts = shared ? 2 * s.window() : 0, outputs = s.negative() + 1;
        this.ctxRows = new int[2 * s.window()];
        this.outRows = new int[outputs];
        this.labels = new int[outputs];
        this.updateRows = new int[outputs];
        this.updateGradients = new float[outputs];
        this.aheadRows = new int[outputs];
        this.aheadLabels = new int[outputs];
        this.dots = new float[outputs];
        this.gradients = new float[contexts * outputs];
        this.works = new float[contexts * stride];
        this.random = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
    }

    private long words;
    private int length;

    /**
     * Trains on share {@code part} of {@code parts}; returns false when the run was asked to stop.
     * Reads the text unless {@code share} holds it from an earlier epoch; records it there meanwhile.
     */
    boolean train(TextCorpus corpus, int part, int parts, EncodedShare share) throws IOException {
        lr = progress.learningRate();
        words = 0;
        length = 0;
        if (share.replayable()) {
            for (int k = 0, n = share.sentences(); k < n; k++) {
                for (int i = share.sentenceStart(k), end = share.sentenceEnd(k); i < end; i++) word(share.id(i));
                if (!endSentence()) return false;
            }
        } else {
            boolean record = share.recording();
            try (SentenceReader reader = corpus.sentences(part, parts)) {
                for (String[] text = reader.next(); text != null; text = reader.next()) {
                    for (String w : text) {
                        int id = vocab.indexOf(w);
                        if (id < 0) continue;
                        if (record) share.add(id);
                        word(id);
                    }
                    if (record) share.endSentence();
                    if (!endSentence()) {
                        share.discard();
                        return false;
                    }
                }
            }
            if (record) share.finish();
        }
        progress.batchDone(words, loss, terms);
        return !sink.stopRequested();
    }

    /** One running in-vocabulary word: counted, subsampled, added to the sentence (trained when full). */
    private void word(int id) {
        words++;
        // Words always kept (rare ones, or all when sampling is off) cost no random draw.
        float keep = vocab.keepProbability(id);
        if (keep < 1 && uniform() >= keep) return;
        sentence[length++] = id;
        if (length == MAX_SENTENCE) {
            trainSentence(length);
            length = 0;
        }
    }

    /** Trains the sentence so far; reports a batch when due. False when the run must stop. */
    private boolean endSentence() {
        trainSentence(length);
        length = 0;
        if (words >= TrainingProgress.BATCH_WORDS) {
            progress.batchDone(words, loss, terms);
            words = 0;
            loss = 0;
            terms = 0;
            lr = progress.learningRate();
            return !sink.stopRequested() && progress.divergence() == null;
        }
        return true;
    }

    private void trainSentence(int length) {
        // With negative sampling, the next centre word's target and negatives are drawn one word ahead
        // and their output rows touched, so that their cache misses overlap this word's arithmetic
        // (Java has no prefetch instruction). Same draws, same distribution, one word earlier.
        boolean ahead = s.negative() > 0 && (shared || !s.skipGram());
        if (ahead && length > 0) aheadOutputs = drawOutputs(sentence[0], aheadRows, aheadLabels);
        for (int i = 0; i < length; i++) {
            int reach = s.window() - (int) Long.remainderUnsigned(next(), s.window());
            int from = Math.max(0, i - reach), to = Math.min(length - 1, i + reach);
            if (ahead) {
                int[] r = outRows, l = labels;
                outRows = aheadRows;
                labels = aheadLabels;
                aheadRows = r;
                aheadLabels = l;
                drawn = aheadOutputs;
                if (i + 1 < length) {
                    aheadOutputs = drawOutputs(sentence[i + 1], aheadRows, aheadLabels);
                    touch(aheadRows, aheadOutputs);
                }
            }
            if (s.skipGram()) skipGram(i, from, to);
            else cbow(i, from, to);
        }
    }

    /** Loads one float of every cache line of the given output rows, so they are on their way to L1 (see trainSentence). */
    private void touch(int[] rows, int count) {
        float[] out = t.negativeOutput;
        float sum = 0;
        for (int o = 0; o < count; o++) {
            int row = rows[o];
            for (int k = 0; k < stride; k += 16) sum += out[row + k];
            sum += out[row + stride - 1];
        }
        touched += sum;
    }

    /** Each context word's input vector predicts the centre word (as word2vec.c and gensim pair them). */
    private void skipGram(int centre, int from, int to) {
        if (shared) {
            skipGramShared(centre, from, to);
            return;
        }
        int target = sentence[centre];
        for (int j = from; j <= to; j++) {
            if (j == centre) continue;
            int in = sentence[j] * stride;
            outputs(target, t.input, in, s.negative() > 0 ? drawOutputs(target, outRows, labels) : 0);
            EmbeddingRows.axpy(stride, 1, work, 0, t.input, in);
        }
    }

    /**
     * Skip-gram with one draw of negatives per centre word, shared by all its context words (Ji et al.
     * 2016, pWord2Vec): the centre's output row and its negatives are fetched once per centre instead of
     * once per context word, and the (context x output) block is trained as one small matrix product
     * of dots, then gradients, then updates: the inputs' gradients from the old output rows, the output
     * rows' from the old inputs, as the per-pair updates would be to first order.
     */
    private void skipGramShared(int centre, int from, int to) {
        int target = sentence[centre];
        int contexts = 0;
        for (int j = from; j <= to; j++) if (j != centre) ctxRows[contexts++] = sentence[j] * stride;
        if (contexts == 0) return;
        int outputs = drawn;
        float[] in = t.input, out = t.negativeOutput;
        for (int a = 0; a < contexts; a++) {
            terms++;
            EmbeddingRows.dots(stride, in, ctxRows[a], out, outRows, outputs, dots);
            for (int o = 0; o < outputs; o++) {
                float f = dots[o];
                loss -= LogisticTables.logSigmoid(labels[o] == 1 ? f : -f);
                gradients[a * outputs + o] = LogisticTables.negativeGradient(labels[o], f) * lr;
            }
        }
        // Inputs' gradients from the old output rows (each gradient row loaded and stored once).
        for (int a = 0; a < contexts; a++) {
            int w = a * stride;
            Arrays.fill(works, w, w + stride, 0);
            EmbeddingRows.addScaledRows(stride, gradients, a * outputs, 1, out, outRows, outputs, works, w);
        }
        // Output rows from the old inputs (each output row loaded and stored once); then the inputs.
        for (int o = 0; o < outputs; o++) {
            EmbeddingRows.addScaledRows(stride, gradients, o, outputs, in, ctxRows, contexts, out, outRows[o]);
        }
        for (int a = 0; a < contexts; a++) EmbeddingRows.axpy(stride, 1, works, a * stride, in, ctxRows[a]);
    }

    /** The mean of the context's input vectors predicts the centre word. */
    private void cbow(int centre, int from, int to) {
        int count = 0;
        for (int j = from; j <= to; j++) if (j != centre) ctxRows[count++] = sentence[j] * stride;
        if (count == 0) return;
        EmbeddingRows.scaledSum(stride, 1f / count, t.input, ctxRows, count, hidden, 0);
        outputs(sentence[centre], hidden, 0, drawn);
        // As word2vec.c and gensim (cbow_mean=1): every context word receives the whole error (not a
        // 1/count share); the default rate for CBOW (0.05) is tuned for this.
        EmbeddingRows.addToRows(stride, work, 0, t.input, ctxRows, count);
    }

    /**
     * The output layers for one input row: sets {@code work} to the input's gradient, updates output
     * rows. Negative sampling uses the {@code outputs} rows already drawn into outRows and labels.
     */
    private void outputs(int target, float[] in, int inOff, int outputs) {
        terms++; // the loss is reported per (input, target) pair: the sum over its output terms
        boolean workZero = false;
        if (s.hierarchicalSoftmax()) {
            Arrays.fill(work, 0);
            workZero = true;
            float[] out = t.softmaxOutput;
            for (int p = tree.pathStart(target), end = tree.pathEnd(target); p < end; p++) {
                int row = tree.point(p) * stride;
                float f = EmbeddingRows.dot(stride, in, inOff, out, row);
                int code = tree.code(p);
                // P(branch 0) = sigmoid(f): the loss is -log sigmoid(+-f).
                loss -= LogisticTables.logSigmoid(code == 0 ? f : -f);
                if (f <= -LogisticTables.MAX || f >= LogisticTables.MAX) continue; // word2vec.c skips saturated nodes
                float g = (1 - code - LogisticTables.sigmoid(f)) * lr;
                EmbeddingRows.accumulateAndUpdate(stride, g, in, inOff, out, row, work, 0);
            }
        }
        if (s.negative() > 0) {
            float[] out = t.negativeOutput;
            // All dots first, four rows at a time (their cache misses overlap), then the updates in order.
            EmbeddingRows.dots(stride, in, inOff, out, outRows, outputs, dots);
            if (!workZero && !anyRepeated(outputs)) {
                // Distinct rows: the dots are those one at a time would take, and all updates go in one
                // pass that also writes work (the same sums in the same order as the loop below).
                int updated = 0;
                for (int o = 0; o < outputs; o++) {
                    float f = dots[o];
                    loss -= LogisticTables.logSigmoid(labels[o] == 1 ? f : -f);
                    float g = LogisticTables.negativeGradient(labels[o], f) * lr;
                    if (g == 0) continue; // saturated (or exactly right): nothing to add
                    updateRows[updated] = outRows[o];
                    updateGradients[updated++] = g;
                }
                EmbeddingRows.accumulateAndUpdateRows(stride, updateGradients, updated, in, inOff, out, updateRows, work, 0);
                return;
            }
            if (!workZero) Arrays.fill(work, 0);
            for (int o = 0; o < outputs; o++) {
                int row = outRows[o];
                // A negative drawn twice: its row changed at its first update, so its dot is taken again, as one at a time would.
                float f = repeated(o) ? EmbeddingRows.dot(stride, in, inOff, out, row) : dots[o];
                loss -= LogisticTables.logSigmoid(labels[o] == 1 ? f : -f);
                float g = LogisticTables.negativeGradient(labels[o], f) * lr;
                if (g == 0) continue; // saturated (or exactly right): nothing to add
                EmbeddingRows.accumulateAndUpdate(stride, g, in, inOff, out, row, work, 0);
            }
        }
    }

    /** The target's output row (label 1) and its negatives' (label 0, the target itself skipped) into outRows and labels. */
    private int drawOutputs(int target, int[] outRows, int[] labels) {
        int outputs = 0;
        outRows[outputs] = target * stride;
        labels[outputs++] = 1;
        for (int d = 0; d < s.negative(); d++) {
            int word = sampler.sample(next());
            if (word == target) continue;
            outRows[outputs] = word * stride;
            labels[outputs++] = 0;
        }
        return outputs;
    }

    private boolean anyRepeated(int outputs) {
        for (int o = 2; o < outputs; o++) if (repeated(o)) return true;
        return false;
    }

    private boolean repeated(int o) {
        for (int k = 1; k < o; k++) if (outRows[k] == outRows[o]) return true;
        return false;
    }

    /** xorshift64*: fast, and its high bits are good (word2vec.c's LCG has poor low bits). */
    private long next() {
        long x = random;
        x ^= x >>> 12;
        x ^= x << 25;
        x ^= x >>> 27;
        random = x;
        return x * 0x2545F4914F6CDD1DL;
    }

    private float uniform() { return (next() >>> 40) * 0x1.0p-24f; }
}
