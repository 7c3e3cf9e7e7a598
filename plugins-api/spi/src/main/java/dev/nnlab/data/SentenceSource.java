package dev.nnlab.data;

import java.io.IOException;
import java.util.List;

/**
 * Sentences that can be read again and again, from disk or generated, without ever being held as a
 * whole: a corpus of hundreds of MB is read line by line on each pass. {@link #open(int, int)} reads
 * one of {@code parts} disjoint, together complete shares of the corpus, so that Hogwild threads
 * (word2vec's) each stream their own share, as word2vec.c seeks each thread to its slice of the file.
 *
 * <p>Stability: stable.
 */
@FunctionalInterface
public interface SentenceSource {

    /**
     * A reader over share {@code part} of {@code parts} ({@code 0 <= part < parts}). Shares are
     * disjoint and cover every sentence exactly once; their sizes are roughly equal (in bytes for a
     * file, in sentences in memory).
     */
    SentenceReader open(int part, int parts) throws IOException;

    /** A reader over every sentence, in order. */
    default SentenceReader open() throws IOException { return open(0, 1); }

    /** Sentences held in memory (generated corpora, tests); share {@code p} of {@code n} is {@code [size p/n, size (p+1)/n)}. */
    static SentenceSource of(List<String[]> sentences) {
        List<String[]> copy = List.copyOf(sentences);
        return (part, parts) -> {
            checkPart(part, parts);
            int from = (int) ((long) copy.size() * part / parts), to = (int) ((long) copy.size() * (part + 1) / parts);
            return new SentenceReader() {
                int next = from;

                @Override public String[] next() {
                    while (next < to) {
                        String[] s = copy.get(next++);
                        if (s.length > 0) return s.clone();
                    }
                    return null;
                }

                @Override public void close() {}
            };
        };
    }

    static void checkPart(int part, int parts) {
        if (parts < 1 || part < 0 || part >= parts) throw new IllegalArgumentException("part " + part + " of " + parts + " does not exist");
    }
}
