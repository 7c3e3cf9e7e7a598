package dev.nnlab.runs;

/** A value a caller passed that a service cannot use (an empty tag key, a negative page size). HTTP: 400. */
public final class InvalidInputException extends RuntimeException {
    public InvalidInputException(String message) {
        super(message);
    }
}
