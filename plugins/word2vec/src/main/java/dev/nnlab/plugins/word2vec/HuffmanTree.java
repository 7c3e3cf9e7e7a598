package dev.nnlab.plugins.word2vec;

/**
 * The Huffman tree of hierarchical softmax (Morin and Bengio 2005; word2vec.c's CreateBinaryTree):
 * frequent words get short codes. For each word, its path from the root: the inner nodes (rows of
 * the output table, {@code size - 1} of them) and the branch taken at each (0 or 1), stored flat.
 */
final class HuffmanTree {
    private final int[] start;
    private final int[] points;
    private final byte[] codes;

    /** @param counts word counts, most frequent first (as the vocabulary orders them) */
    HuffmanTree(long[] counts) {
        int v = counts.length;
        long[] count = new long[2 * v];
        int[] parent = new int[2 * v];
        byte[] binary = new byte[2 * v];
        for (int i = 0; i < v; i++) count[i] = counts[i];
        for (int i = v; i < 2 * v; i++) count[i] = Long.MAX_VALUE;
        // Two cursors: leaves descending from the rarest, inner nodes ascending as they are made.
        int leaf = v - 1, inner = v;
        for (int a = 0; a < v - 1; a++) {
            int min1, min2;
            if (leaf >= 0 && count[leaf] < count[inner]) min1 = leaf--; else min1 = inner++;
            if (leaf >= 0 && count[leaf] < count[inner]) min2 = leaf--; else min2 = inner++;
            count[v + a] = count[min1] + count[min2];
            parent[min1] = v + a;
            parent[min2] = v + a;
            binary[min2] = 1;
        }
        start = new int[v + 1];
        int root = 2 * v - 2, total = 0;
        for (int w = 0; w < v; w++) {
            int len = 0;
            for (int n = w; n != root && v > 1; n = parent[n]) len++;
            total += len;
            start[w + 1] = total;
        }
        points = new int[total];
        codes = new byte[total];
        for (int w = 0; w < v; w++) {
            // Walk up from the leaf, fill the path from its end so it reads root first.
            int at = start[w + 1];
            for (int n = w; n != root && v > 1; n = parent[n]) {
                at--;
                codes[at] = binary[n];
                points[at] = parent[n] - v;
            }
        }
    }

    int pathStart(int word) { return start[word]; }

    int pathEnd(int word) { return start[word + 1]; }

    /** The inner node (a row of the output table) at path position {@code i}. */
    int point(int i) { return points[i]; }

    /** The branch taken at path position {@code i}: 0 or 1. */
    int code(int i) { return codes[i]; }
}
