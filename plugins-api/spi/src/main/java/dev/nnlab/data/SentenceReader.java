package dev.nnlab.data;

import java.io.IOException;

/**
 * Reads sentences one at a time from a {@link SentenceSource}; close it when done (it may hold a
 * file open). Not thread-safe: one reader per thread.
 *
 * <p>Stability: stable.
 */
public interface SentenceReader extends AutoCloseable {

    /** The next sentence as its words (never empty), or null at the end. The array is the caller's. */
    String[] next() throws IOException;

    @Override void close() throws IOException;
}
