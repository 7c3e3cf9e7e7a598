package dev.nnlab.store;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One training run as stored. Times are null until they happen; {@code owner} is the process
 * that created or runs it; {@code heartbeat} its last sign of life.
 */
public record Run(
        long id,
        long experimentId,
        String name,
        RunStatus status,
        String family,
        Provenance provenance,
        JsonNode config,
        Instant created,
        Instant started,
        Instant ended,
        String error,
        Owner owner,
        Instant heartbeat) {
}
