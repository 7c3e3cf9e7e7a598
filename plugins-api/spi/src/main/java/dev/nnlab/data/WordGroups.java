package dev.nnlab.data;

import dev.nnlab.tensor.Rng;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A generated corpus with planted word groups: each sentence is about one group, and most of its
 * words are drawn from that group, the rest from filler words every sentence shares. Words of one
 * group co-occur and words of different groups never do, so a word embedding trained on it must put
 * each word's nearest neighbours in its own group. Word names do not reveal the groups.
 *
 * <p>Stability: stable for plugin authors (the word2vec tests train on it).
 */
public final class WordGroups {
    public static final int DEFAULT_GROUPS = 8;
    public static final int DEFAULT_WORDS_PER_GROUP = 6;
    public static final int DEFAULT_FILLERS = 6;
    public static final int DEFAULT_SENTENCES = 4_000;
    public static final int DEFAULT_SENTENCE_LENGTH = 10;
    /** Share of a sentence's words drawn from its group; the rest are fillers. */
    public static final double GROUP_SHARE = 0.8;

    private final List<List<String>> groups;
    private final List<String> fillers;
    private final int sentences, sentenceLength;
    private final long seed;

    private WordGroups(int groups, int wordsPerGroup, int fillers, int sentences, int sentenceLength, long seed) {
        if (groups < 2 || wordsPerGroup < 2 || fillers < 0 || sentences < 1 || sentenceLength < 2) {
            throw new IllegalArgumentException("word groups need groups >= 2, wordsPerGroup >= 2, fillers >= 0, sentences >= 1, "
                    + "sentenceLength >= 2; got " + groups + ", " + wordsPerGroup + ", " + fillers + ", " + sentences + ", " + sentenceLength);
        }
        int total = groups * wordsPerGroup + fillers;
        // Names in a shuffled order, so that "w007" and "w008" need not share a group.
        int[] names = new Rng(seed).fork(1).permutation(total);
        List<List<String>> g = new ArrayList<>();
        for (int i = 0; i < groups; i++) {
            List<String> members = new ArrayList<>();
            for (int k = 0; k < wordsPerGroup; k++) members.add(name(names[i * wordsPerGroup + k]));
            g.add(List.copyOf(members));
        }
        List<String> f = new ArrayList<>();
        for (int k = 0; k < fillers; k++) f.add(name(names[groups * wordsPerGroup + k]));
        this.groups = List.copyOf(g);
        this.fillers = List.copyOf(f);
        this.sentences = sentences;
        this.sentenceLength = sentenceLength;
        this.seed = seed;
    }

    public static WordGroups create(int groups, int wordsPerGroup, int fillers, int sentences, int sentenceLength, long seed) {
        return new WordGroups(groups, wordsPerGroup, fillers, sentences, sentenceLength, seed);
    }

    /** The corpus of the catalog's {@code word-groups}. */
    public static WordGroups standard(long seed) {
        return new WordGroups(DEFAULT_GROUPS, DEFAULT_WORDS_PER_GROUP, DEFAULT_FILLERS, DEFAULT_SENTENCES, DEFAULT_SENTENCE_LENGTH, seed);
    }

    /** The planted groups, each a list of words. */
    public List<List<String>> groups() { return groups; }

    public List<String> fillers() { return fillers; }

    /** The sentences, generated in memory (small by design) and streamed like any corpus. */
    public TextCorpus corpus(String name) {
        Rng rng = new Rng(seed).fork(2);
        List<String[]> out = new ArrayList<>(sentences);
        for (int s = 0; s < sentences; s++) {
            List<String> group = groups.get(rng.nextInt(groups.size()));
            String[] words = new String[sentenceLength];
            for (int i = 0; i < sentenceLength; i++) {
                boolean filler = !fillers.isEmpty() && rng.nextDouble() >= GROUP_SHARE;
                words[i] = filler ? fillers.get(rng.nextInt(fillers.size())) : group.get(rng.nextInt(group.size()));
            }
            out.add(words);
        }
        SentenceSource source = SentenceSource.of(out);
        String checksum = Sha256.ofText(String.format(Locale.ROOT, "WordGroups(groups=%d, wordsPerGroup=%d, fillers=%d, sentences=%d, length=%d, seed=%d)",
                groups.size(), groups.getFirst().size(), fillers.size(), sentences, sentenceLength, seed));
        try {
            return TextCorpus.counted(name, checksum, source);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("an in-memory corpus cannot fail to read", e);
        }
    }

    private static String name(int i) { return String.format(Locale.ROOT, "w%03d", i); }
}
