package dev.nnlab.store;

import java.time.Instant;

/** A free-text note on a run, e.g. what a person concluded from it. */
public record Note(long id, long runId, String body, Instant created) {
}
