package dev.nnlab.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How often each word occurs in a corpus, most frequent first (ties in {@link String#compareTo}
 * order), and the total word count: what word2vec needs for its vocabulary ({@code minCount}),
 * subsampling and the unigram^0.75 negative-sampling table, without a second pass over the text.
 *
 * <p>Immutable. Stability: stable.
 */
public final class WordCounts {
    private final String[] words;
    private final long[] counts;
    private final long total;
    private final Map<String, Integer> rank;

    private WordCounts(String[] words, long[] counts) {
        this.words = words;
        this.counts = counts;
        long t = 0;
        for (long c : counts) t += c;
        this.total = t;
        this.rank = new HashMap<>(words.length * 2);
        for (int i = 0; i < words.length; i++) rank.put(words[i], i);
    }

    /** Counts every word of one full pass over {@code source}. */
    public static WordCounts count(SentenceSource source) throws IOException {
        Map<String, long[]> counts = new HashMap<>();
        try (SentenceReader r = source.open()) {
            for (String[] s = r.next(); s != null; s = r.next()) {
                for (String w : s) counts.computeIfAbsent(w, k -> new long[1])[0]++;
            }
        }
        Map<String, Long> plain = new HashMap<>(counts.size() * 2);
        counts.forEach((w, c) -> plain.put(w, c[0]));
        return of(plain);
    }

    public static WordCounts of(Map<String, Long> counts) {
        List<Map.Entry<String, Long>> e = new ArrayList<>(counts.entrySet());
        e.sort((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey()) : Long.compare(b.getValue(), a.getValue()));
        String[] words = new String[e.size()];
        long[] c = new long[e.size()];
        for (int i = 0; i < words.length; i++) {
            words[i] = e.get(i).getKey();
            c[i] = e.get(i).getValue();
        }
        return new WordCounts(words, c);
    }

    /** Distinct words. */
    public int size() { return words.length; }

    /** The word of frequency rank {@code rank} (0 = most frequent). */
    public String word(int rank) { return words[rank]; }

    /** The count of the word of frequency rank {@code rank}. */
    public long count(int rank) { return counts[rank]; }

    /** The count of {@code word}, 0 when the corpus lacks it. */
    public long count(String word) {
        Integer r = rank.get(word);
        return r == null ? 0 : counts[r];
    }

    /** Running words in the corpus (the sum of all counts). */
    public long total() { return total; }

    long heapBytes() {
        long b = (long) words.length * (8 + 8 + 48 + 32);
        for (String w : words) b += 2L * w.length();
        return b;
    }
}
