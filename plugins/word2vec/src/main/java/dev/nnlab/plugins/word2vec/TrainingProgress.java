package dev.nnlab.plugins.word2vec;

import dev.nnlab.spi.RunSink;

import java.util.Locale;

/**
 * What the Hogwild threads share besides the tables: the count of words trained (which drives the
 * linear learning-rate decay) and the loss and speed reported to the sink. Threads report once per
 * words-batch of {@value #BATCH_WORDS} words (word2vec.c adjusts its rate as often); every
 * {@code logEvery} batches this reports the mean loss over the window, words/s and the rate.
 */
final class TrainingProgress {
    /** Words one thread trains between reports and learning-rate updates. */
    static final int BATCH_WORDS = 10_000;

    private final RunSink sink;
    private final double lr0, minLr;
    private final long corpusWords, plannedWords;
    private final int logEvery;
    private volatile long wordsDone;
    private long batches;
    private double windowLoss, epochLoss;
    private long windowTerms, epochTerms;
    private long windowStartWords, epochStartWords;
    private long windowStartNanos, epochStartNanos;
    private String divergence;

    TrainingProgress(RunSink sink, Settings s, long corpusWords) {
        this.sink = sink;
        this.lr0 = s.lr();
        this.minLr = s.lr() * s.minLrFraction();
        this.corpusWords = corpusWords;
        this.plannedWords = corpusWords * s.epochs();
        this.logEvery = s.logEvery();
        this.windowStartNanos = this.epochStartNanos = System.nanoTime();
    }

    /** The learning rate now: linear from lr down to lr x minLrFraction over all epochs' words. */
    float learningRate() {
        double left = 1 - wordsDone / (double) (plannedWords + 1);
        return (float) Math.max(minLr, lr0 * left);
    }

    /** One thread finished a batch of {@code words} words whose loss terms summed to {@code loss}. */
    synchronized void batchDone(long words, double loss, long terms) {
        if (words == 0) return; // a thread's share ended right after a report
        wordsDone += words;
        batches++;
        windowLoss += loss;
        windowTerms += terms;
        epochLoss += loss;
        epochTerms += terms;
        if (!Double.isFinite(loss) && divergence == null) {
            divergence = String.format(Locale.ROOT, "the loss became %s at epoch %.3f", loss, epoch());
        }
        if (batches % logEvery == 0) reportWindow();
    }

    /** Reports what the threads did since the last report and the epoch's mean loss and speed. */
    synchronized void epochDone(int epoch) {
        if (wordsDone > windowStartWords) reportWindow();
        long now = System.nanoTime();
        double seconds = (now - epochStartNanos) / 1e9;
        sink.metric("epoch_loss", batches, epoch, epochTerms == 0 ? 0 : epochLoss / epochTerms);
        sink.metric("epoch_words_per_sec", batches, epoch, (wordsDone - epochStartWords) / Math.max(seconds, 1e-9));
        epochLoss = 0;
        epochTerms = 0;
        epochStartWords = wordsDone;
        epochStartNanos = now;
    }

    private void reportWindow() {
        long now = System.nanoTime();
        double seconds = (now - windowStartNanos) / 1e9, epoch = epoch();
        if (windowTerms > 0) sink.metric("train_loss", batches, epoch, windowLoss / windowTerms);
        sink.metric("words_per_sec", batches, epoch, (wordsDone - windowStartWords) / Math.max(seconds, 1e-9));
        sink.metric("lr", batches, epoch, learningRate());
        windowLoss = 0;
        windowTerms = 0;
        windowStartWords = wordsDone;
        windowStartNanos = now;
    }

    private double epoch() { return wordsDone / (double) corpusWords; }

    long wordsDone() { return wordsDone; }

    long batches() { return batches; }

    /** Why training must stop because the loss is no longer finite, or null. */
    synchronized String divergence() { return divergence; }
}
