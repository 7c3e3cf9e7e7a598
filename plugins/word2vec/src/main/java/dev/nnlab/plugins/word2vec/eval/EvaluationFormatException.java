package dev.nnlab.plugins.word2vec.eval;

/** An evaluation file that is not in the expected format; the message names the file, the line and what was expected. */
public final class EvaluationFormatException extends IllegalArgumentException {
    public EvaluationFormatException(String source, int line, String found, String expected) {
        super(source + " line " + line + ": '" + (found.length() > 80 ? found.substring(0, 80) + "..." : found)
                + "' is not " + expected);
    }
}
