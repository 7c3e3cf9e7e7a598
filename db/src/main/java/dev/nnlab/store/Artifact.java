package dev.nnlab.store;

import java.time.Instant;

/**
 * A file attached to a run (a checkpoint, a confusion matrix image, a report).
 *
 * @param mediaType e.g. {@code image/png}, {@code application/octet-stream}
 * @param bytes     the content; null in listings, which carry only {@code size}
 */
public record Artifact(long runId, String name, String mediaType, long size, Instant created, byte[] bytes) {
}
