package dev.nnlab.plugins.word2vec;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class HuffmanTreeTest {

    static String code(HuffmanTree t, int w) {
        StringBuilder b = new StringBuilder();
        for (int p = t.pathStart(w); p < t.pathEnd(w); p++) b.append(t.code(p));
        return b.toString();
    }

    @Test
    void codes_are_prefix_free_and_frequent_words_get_shorter_ones() {
        long[] counts = {45, 13, 12, 16, 9, 5};
        java.util.Arrays.sort(counts);
        long[] desc = new long[counts.length];
        for (int i = 0; i < counts.length; i++) desc[i] = counts[counts.length - 1 - i];
        HuffmanTree t = new HuffmanTree(desc);
        Set<String> codes = new HashSet<>();
        for (int w = 0; w < desc.length; w++) {
            String c = code(t, w);
            for (String other : codes) assertThat(c.startsWith(other) || other.startsWith(c)).as(c + " vs " + other).isFalse();
            codes.add(c);
        }
        // The textbook example (CLRS 16.3): the most frequent word takes 1 bit, the rarest two take 4.
        assertThat(code(t, 0)).hasSize(1);
        assertThat(code(t, 4)).hasSize(4);
        assertThat(code(t, 5)).hasSize(4);
    }

    @Test
    void every_path_starts_at_the_root_and_uses_only_inner_nodes() {
        long[] counts = {10, 8, 6, 4, 2, 1, 1};
        HuffmanTree t = new HuffmanTree(counts);
        int root = counts.length - 2;
        for (int w = 0; w < counts.length; w++) {
            assertThat(t.point(t.pathStart(w))).isEqualTo(root);
            for (int p = t.pathStart(w); p < t.pathEnd(w); p++) assertThat(t.point(p)).isBetween(0, counts.length - 2);
        }
    }
}
