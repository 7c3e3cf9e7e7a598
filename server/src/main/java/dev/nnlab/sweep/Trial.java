package dev.nnlab.sweep;

import java.util.Map;

/**
 * One planned run of a batch.
 *
 * @param index    0-based position in the batch
 * @param varied   the values this trial sets that the spec varies (grid, random search, seed), in order
 * @param params   the fully resolved configuration: every family parameter, defaults filled in
 */
public record Trial(int index, String label, Map<String, Object> varied, Map<String, Object> params) {

    public int seed() { return ((Number) params.get("seed")).intValue(); }
}
