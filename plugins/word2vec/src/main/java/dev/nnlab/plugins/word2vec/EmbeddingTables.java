package dev.nnlab.plugins.word2vec;

import dev.nnlab.kernels.EmbeddingRows;
import dev.nnlab.tensor.Rng;

/**
 * word2vec's parameters: the input vectors ({@code syn0}, the embeddings a run produces), the
 * output vectors of negative sampling ({@code syn1neg}) and of hierarchical softmax's inner nodes
 * ({@code syn1}). Rows are {@link EmbeddingRows#paddedLength padded} to whole vectors; padding stays
 * zero. All Hogwild threads read and write these arrays without locks (Recht et al. 2011): updates
 * touch a few rows of a large table, so collisions are rare and harmless.
 */
final class EmbeddingTables {
    final int words, dim, stride;
    final float[] input;
    final float[] negativeOutput;
    final float[] softmaxOutput;

    EmbeddingTables(int words, int dim, boolean negative, boolean hierarchical, Rng rng) {
        this.words = words;
        this.dim = dim;
        this.stride = EmbeddingRows.paddedLength(dim);
        long floats = (long) words * stride;
        if (floats > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(words + " words of dim=" + dim + " need " + floats
                    + " floats per table, more than a Java array holds; allowed: words x dim below " + (Integer.MAX_VALUE - 16));
        }
        input = new float[(int) floats];
        // gensim 4: uniform in [-1, 1) / dim (word2vec.c draws from half that range); output tables start at zero.
        // gensim is the peer the benchmarks hold quality against, and CBOW's averaged context starts
        // from this scale.
        for (int w = 0; w < words; w++) {
            for (int i = 0; i < dim; i++) input[w * stride + i] = (2 * rng.nextFloat() - 1) / dim;
        }
        negativeOutput = negative ? new float[(int) floats] : null;
        softmaxOutput = hierarchical ? new float[(int) floats] : null;
    }

    long heapBytes() {
        long b = 4L * input.length;
        if (negativeOutput != null) b += 4L * negativeOutput.length;
        if (softmaxOutput != null) b += 4L * softmaxOutput.length;
        return b;
    }
}
