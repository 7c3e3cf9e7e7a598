package dev.nnlab.cli;

/**
 * Bad input found while a command runs (a spec, a filter, an id): printed as one message with no
 * usage text and no stack trace, exit code 2.
 */
public final class InputError extends RuntimeException {
    public InputError(String message) {
        super(message);
    }
}
