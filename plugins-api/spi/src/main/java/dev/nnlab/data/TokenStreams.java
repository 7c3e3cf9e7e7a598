package dev.nnlab.data;

import dev.nnlab.spi.DataKind;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A language-modelling task: a {@link Vocabulary} built from the training part, and the train,
 * validation and test parts as token-id sequences. At word level every line ends in
 * {@code <eos>} (as Mikolov's PTB setup has it); at character level every character is a token,
 * the newline included, and there is no {@code <eos>}. Tokens of validation or test that the
 * training part lacks are {@code <unk>}.
 *
 * <p>Metrics of a language model count tokens, not sequences: {@code *_loss} is the mean negative
 * log-likelihood per predicted token in nats, {@code *_ppl} its exponential (word level), and
 * {@code *_bpc} the loss in bits ({@code loss / ln 2}, character level);
 * {@code dev.nnlab.nn.loss.SequenceCrossEntropy} and {@code TokenTotals} count them so.
 * {@link #unigramPerplexity} is the baseline a model must beat.
 *
 * <p>The arrays are shared by every trial of the same dataset and preparation: read-only.
 *
 * <p>Stability: stable.
 */
public record TokenStreams(String name, String checksum, Level level, Vocabulary vocabulary,
                           int[] train, int[] validation, int[] test) implements TrainingData {

    /** What one token is. */
    public enum Level { WORD, CHARACTER }

    public TokenStreams {
        for (int[] part : new int[][]{train, validation, test}) {
            for (int id : part) {
                if (id < 0 || id >= vocabulary.size()) throw new IllegalArgumentException(name + ": token id " + id + " outside the vocabulary of " + vocabulary.size());
            }
        }
    }

    @Override public DataKind kind() { return DataKind.TOKEN_STREAM; }

    @Override public long heapBytes() {
        return 4L * (train.length + validation.length + test.length) + vocabulary.heapBytes();
    }

    @Override public String describe() {
        return String.format(Locale.ROOT, "%s: %s level, vocabulary %d, %d train / %d val / %d test tokens", name,
                level.name().toLowerCase(Locale.ROOT), vocabulary.size(), train.length, validation.length, test.length);
    }

    /**
     * The same text with the vocabulary cut to its {@code maxSize} most frequent tokens (specials
     * included); the others become {@code <unk>}. 0 keeps every token.
     */
    public TokenStreams withVocabularySize(int maxSize) {
        Vocabulary cut = vocabulary.limitedTo(maxSize);
        if (cut == vocabulary) return this;
        int[] map = new int[vocabulary.size()];
        for (int id = 0; id < map.length; id++) map[id] = cut.id(vocabulary.token(id));
        return new TokenStreams(name, checksum, level, cut, remap(train, map), remap(validation, map), remap(test, map));
    }

    /**
     * The perplexity on {@code part} of the unigram model of the training counts, add-one smoothed:
     * what a model that ignores context achieves, and so the bar a language model must clear.
     */
    public double unigramPerplexity(int[] part) {
        if (part.length == 0) return Double.NaN;
        long total = 0;
        for (long c : vocabulary.counts()) total += c;
        double denom = total + vocabulary.size();
        double nll = 0;
        for (int id : part) nll -= Math.log((vocabulary.count(id) + 1) / denom);
        return Math.exp(nll / part.length);
    }

    private static int[] remap(int[] ids, int[] map) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) out[i] = map[ids[i]];
        return out;
    }

    /** The three parts a builder fills. */
    public enum Part { TRAIN, VALIDATION, TEST }

    /**
     * Collects tokens part by part without keeping them as strings: each distinct token is stored
     * once, the text as provisional ids; {@link #build} orders the vocabulary by training counts.
     */
    public static Builder builder(String name, Level level) { return new Builder(name, level); }

    public static final class Builder {
        private final String name;
        private final Level level;
        private final Map<String, Integer> provisional = new HashMap<>();
        private final java.util.List<String> byId = new java.util.ArrayList<>();
        private final int[][] parts = new int[3][16];
        private final int[] lengths = new int[3];

        private Builder(String name, Level level) {
            this.name = name;
            this.level = level;
        }

        public Builder add(Part part, String token) {
            Integer id = provisional.get(token);
            if (id == null) {
                id = byId.size();
                provisional.put(token, id);
                byId.add(token);
            }
            int p = part.ordinal();
            if (lengths[p] == parts[p].length) parts[p] = Arrays.copyOf(parts[p], parts[p].length * 2);
            parts[p][lengths[p]++] = id;
            return this;
        }

        /** Word level: appends {@code <eos>}; character level: nothing (the newline is a token of its own). */
        public Builder endLine(Part part) {
            if (level == Level.WORD) add(part, Vocabulary.EOS);
            return this;
        }

        public int size(Part part) { return lengths[part.ordinal()]; }

        /**
         * @param maxVocabulary see {@link Vocabulary#fromCounts}; 0 keeps every training token
         * @throws IllegalArgumentException when the training part is empty
         */
        public TokenStreams build(String checksum, int maxVocabulary) {
            if (lengths[0] == 0) throw new IllegalArgumentException(name + ": the training part holds no tokens");
            long[] counts = new long[byId.size()];
            for (int i = 0; i < lengths[0]; i++) counts[parts[0][i]]++;
            Map<String, Long> trainCounts = new HashMap<>();
            for (int id = 0; id < counts.length; id++) if (counts[id] > 0) trainCounts.put(byId.get(id), counts[id]);
            Vocabulary v = Vocabulary.fromCounts(trainCounts, level == Level.WORD, maxVocabulary);
            int[] map = new int[byId.size()];
            for (int id = 0; id < map.length; id++) map[id] = v.id(byId.get(id));
            return new TokenStreams(name, checksum, level, v, remap(Arrays.copyOf(parts[0], lengths[0]), map),
                    remap(Arrays.copyOf(parts[1], lengths[1]), map), remap(Arrays.copyOf(parts[2], lengths[2]), map));
        }
    }
}
