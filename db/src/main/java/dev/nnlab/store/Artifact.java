package dev.nnlab.store;

import java.time.Instant;

/**
 * A file attached to a run (a confusion matrix, a weight image, a checkpoint). The content lives in
 * a file beside the store named by {@code sha256}; {@link Artifacts#file(Artifact)} finds it.
 *
 * @param mediaType e.g. {@code image/png}, {@code application/octet-stream}
 * @param sha256    lower-case hex SHA-256 of the content
 * @param size      bytes
 */
public record Artifact(long runId, String name, String mediaType, String sha256, long size, Instant created) {
}
