package dev.nnlab.data;

import java.io.IOException;

/**
 * An IDX file that cannot be what it claims: wrong magic number, bad dimensions, truncated data.
 * The message starts with the file it is about.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class IdxFormatException extends IOException {
    public IdxFormatException(String source, String problem) {
        super(source + ": " + problem);
    }
}
