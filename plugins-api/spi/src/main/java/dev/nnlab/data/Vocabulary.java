package dev.nnlab.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Token ids and back, with each token's count in the training part. Id 0 is always {@value #UNK}
 * (any token not in the vocabulary, and a literal {@code <unk>} in the text, as PTB has); id 1 is
 * {@value #EOS} when the stream marks line ends (word level). The other tokens follow by count,
 * most frequent first, ties in {@link String#compareTo} order, so ids are the same on every machine
 * and a frequency cut-off is a prefix.
 *
 * <p>Immutable. Stability: stable.
 */
public final class Vocabulary {
    public static final String UNK = "<unk>";
    public static final String EOS = "<eos>";

    private final String[] tokens;
    private final long[] counts;
    private final Map<String, Integer> ids;
    private final boolean hasEos;

    private Vocabulary(String[] tokens, long[] counts, boolean hasEos) {
        this.tokens = tokens;
        this.counts = counts;
        this.hasEos = hasEos;
        this.ids = new HashMap<>(tokens.length * 2);
        for (int i = 0; i < tokens.length; i++) ids.put(tokens[i], i);
    }

    /**
     * The vocabulary of {@code counts} (training-part counts; {@code <unk>} and {@code <eos>} among
     * them count for the specials).
     *
     * @param maxSize at most this many ids, specials included; the least frequent tokens fold into
     *                {@code <unk>} (their counts added to its count). 0 keeps every token.
     */
    public static Vocabulary fromCounts(Map<String, Long> counts, boolean withEos, int maxSize) {
        int specials = withEos ? 2 : 1;
        if (maxSize != 0 && maxSize <= specials) {
            throw new IllegalArgumentException("a vocabulary of " + maxSize + " holds nothing but " + (withEos ? "<unk> and <eos>" : "<unk>")
                    + "; give more than " + specials + ", or 0 for every token");
        }
        List<Map.Entry<String, Long>> words = new ArrayList<>();
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            if (!e.getKey().equals(UNK) && !(withEos && e.getKey().equals(EOS))) words.add(e);
        }
        words.sort((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey()) : Long.compare(b.getValue(), a.getValue()));
        int kept = maxSize == 0 ? words.size() : Math.min(words.size(), maxSize - specials);
        String[] tokens = new String[specials + kept];
        long[] c = new long[tokens.length];
        tokens[0] = UNK;
        c[0] = counts.getOrDefault(UNK, 0L);
        if (withEos) {
            tokens[1] = EOS;
            c[1] = counts.getOrDefault(EOS, 0L);
        }
        for (int i = 0; i < words.size(); i++) {
            if (i < kept) {
                tokens[specials + i] = words.get(i).getKey();
                c[specials + i] = words.get(i).getValue();
            } else {
                c[0] += words.get(i).getValue();
            }
        }
        return new Vocabulary(tokens, c, withEos);
    }

    public int size() { return tokens.length; }

    public String token(int id) { return tokens[id]; }

    /** The id of {@code token}, {@link #unkId()} when it is not in the vocabulary. */
    public int id(String token) {
        Integer id = ids.get(token);
        return id == null ? 0 : id;
    }

    public boolean contains(String token) { return ids.containsKey(token); }

    public int unkId() { return 0; }

    /** The id of {@code <eos>}, or -1 when the stream does not mark line ends (character level). */
    public int eosId() { return hasEos ? 1 : -1; }

    /** How often {@code id} occurs in the training part ({@code <unk>}: with every folded token). */
    public long count(int id) { return counts[id]; }

    /** The training-part count of every id, indexed by id; a copy. */
    public long[] counts() { return counts.clone(); }

    /** Every token in id order. */
    public List<String> tokens() { return Collections.unmodifiableList(Arrays.asList(tokens)); }

    /** The same tokens cut to the {@code maxSize} most frequent (specials included); 0 or a size at least this big returns this. */
    public Vocabulary limitedTo(int maxSize) {
        if (maxSize == 0 || maxSize >= size()) return this;
        Map<String, Long> c = new HashMap<>();
        for (int i = 0; i < tokens.length; i++) c.put(tokens[i], counts[i]);
        return fromCounts(c, hasEos, maxSize);
    }

    long heapBytes() {
        long b = (long) tokens.length * (8 + 8 + 48);
        for (String t : tokens) b += 2L * t.length();
        return b;
    }

    @Override public String toString() {
        return "Vocabulary[" + size() + " tokens" + (hasEos ? ", <eos>" : "") + "]";
    }
}
