package dev.nnlab.plugins.word2vec;

import dev.nnlab.data.WordCounts;


/**
 * The words word2vec learns vectors for: every word of the corpus counted at least
 * {@code minCount} times, most frequent first (index 0 is the most frequent word), with the
 * subsampling keep-probabilities of Mikolov et al. (2013), in word2vec.c's form.
 */
final class TrainingVocabulary {
    private final String[] words;
    private final long[] counts;
    private final long total;
    private final WordIndex index;
    /** Probability of keeping one occurrence; 1 for rare words, and for all when sampling is off. */
    private final float[] keep;

    private TrainingVocabulary(String[] words, long[] counts, double sample) {
        this.words = words;
        this.counts = counts;
        long t = 0;
        for (long c : counts) t += c;
        this.total = t;
        this.index = new WordIndex(words);
        this.keep = new float[words.length];
        double threshold = sample * total;
        for (int i = 0; i < words.length; i++) {
            // word2vec.c: (sqrt(f / (s T)) + 1) (s T) / f, which is ~sqrt(s T / f) for frequent words.
            double p = sample <= 0 ? 1 : (Math.sqrt(counts[i] / threshold) + 1) * threshold / counts[i];
            keep[i] = (float) Math.min(1, p);
        }
    }

    /**
     * The words of {@code counts} that occur at least {@code minCount} times.
     *
     * @throws IllegalArgumentException when no word is left, naming the corpus's highest count
     */
    static TrainingVocabulary of(WordCounts counts, int minCount, double sample) {
        int n = 0;
        while (n < counts.size() && counts.count(n) >= minCount) n++;
        if (n == 0) {
            String most = counts.size() == 0 ? "the corpus holds no words"
                    : "the most frequent word, '" + counts.word(0) + "', occurs " + counts.count(0) + " times";
            throw new IllegalArgumentException("minCount=" + minCount + " leaves an empty vocabulary (" + most
                    + "); allowed: a minCount at most the highest word count");
        }
        String[] w = new String[n];
        long[] c = new long[n];
        for (int i = 0; i < n; i++) {
            w[i] = counts.word(i);
            c[i] = counts.count(i);
        }
        return new TrainingVocabulary(w, c, sample);
    }

    int size() { return words.length; }

    String word(int i) { return words[i]; }

    long count(int i) { return counts[i]; }

    long[] counts() { return counts.clone(); }

    /** Running in-vocabulary words of one pass (what words/s and the learning-rate decay count). */
    long total() { return total; }

    /** The index of {@code word}, or -1 when it is not in the vocabulary. */
    int indexOf(String word) {
        return index.indexOf(word);
    }

    float keepProbability(int i) { return keep[i]; }

    String[] words() { return words.clone(); }
}
