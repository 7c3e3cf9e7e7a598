package dev.nnlab.runs;

/** A query word that a run's word vectors do not hold. The HTTP API answers 404. */
public final class UnknownWordException extends RuntimeException {
    public UnknownWordException(long runId, String word, int vocabularySize) {
        super("word \"" + word + "\" is not in the vocabulary of run " + runId + " (" + vocabularySize
                + " words); only words of the training corpus that occur at least minCount times have vectors");
    }
}
