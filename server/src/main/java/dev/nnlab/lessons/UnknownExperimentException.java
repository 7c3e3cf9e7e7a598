package dev.nnlab.lessons;

/** An experiment id that names no experiment. The HTTP API answers 404. */
public final class UnknownExperimentException extends RuntimeException {
    public UnknownExperimentException(long id) {
        super("no experiment " + id);
    }
}
