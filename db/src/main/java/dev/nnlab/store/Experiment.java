package dev.nnlab.store;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A named group of runs, e.g. one sweep.
 *
 * @param spec the experiment's specification (the sweep definition), or null
 */
public record Experiment(long id, String name, Instant created, JsonNode spec) {
}
