package dev.nnlab.plugins.word2vec.eval;

/** A query word that is not in the trained vocabulary. */
public final class UnknownWordException extends IllegalArgumentException {
    public UnknownWordException(String word, int vocabularySize) {
        super("word '" + word + "' is not in the vocabulary of " + vocabularySize
                + " words; allowed: a word of the training corpus that occurs at least minCount times");
    }
}
