package dev.nnlab.spi;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes an artifact's content into a stream the host opened (a temporary file being hashed), so
 * that an artifact of any size is never held whole in memory. The host closes the stream.
 *
 * <p>Stability: stable.
 */
@FunctionalInterface
public interface ArtifactWriter {
    void writeTo(OutputStream out) throws IOException;
}
