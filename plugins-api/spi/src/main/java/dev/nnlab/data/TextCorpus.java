package dev.nnlab.data;

import dev.nnlab.spi.DataKind;

import java.io.IOException;
import java.util.Locale;

/**
 * A text corpus for word embeddings: sentences (lines, split on whitespace) streamed from disk on
 * every pass, never held whole, with the word counts of the whole corpus. Memory is the counts plus
 * whatever one reader buffers, so a corpus of hundreds of MB trains in bounded memory.
 *
 * <pre>{@code
 * TextCorpus corpus = job.corpus();
 * WordCounts counts = corpus.wordCounts();                // vocabulary, minCount, subsampling
 * try (SentenceReader r = corpus.sentences(thread, threads)) {  // this thread's share
 *     for (String[] s = r.next(); s != null; s = r.next()) { ... }
 * }
 * }</pre>
 *
 * <p>Thread-safe: each call opens its own reader. Stability: stable.
 */
public final class TextCorpus implements TrainingData {
    private final String name;
    private final String checksum;
    private final SentenceSource source;
    private final WordCounts counts;

    public TextCorpus(String name, String checksum, SentenceSource source, WordCounts counts) {
        this.name = name;
        this.checksum = checksum;
        this.source = source;
        this.counts = counts;
    }

    /** Counts the words of {@code source} in one pass and wraps it. */
    public static TextCorpus counted(String name, String checksum, SentenceSource source) throws IOException {
        WordCounts c = WordCounts.count(source);
        if (c.total() == 0) throw new IllegalArgumentException(name + ": the corpus holds no words");
        return new TextCorpus(name, checksum, source, c);
    }

    @Override public DataKind kind() { return DataKind.TEXT_CORPUS; }

    @Override public String name() { return name; }

    @Override public String checksum() { return checksum; }

    /** Every sentence, in order. */
    public SentenceReader sentences() throws IOException { return source.open(); }

    /** Share {@code part} of {@code parts}: see {@link SentenceSource#open(int, int)}. */
    public SentenceReader sentences(int part, int parts) throws IOException { return source.open(part, parts); }

    public WordCounts wordCounts() { return counts; }

    /** Running words in the corpus. */
    public long totalWords() { return counts.total(); }

    @Override public long heapBytes() { return counts.heapBytes(); }

    @Override public String describe() {
        return String.format(Locale.ROOT, "%s: corpus of %d words, %d distinct, streamed", name, counts.total(), counts.size());
    }

    @Override public String toString() { return describe(); }
}
