package dev.nnlab.store;

import dev.nnlab.store.filter.RunFilter;
import dev.nnlab.store.filter.RunSort;

/**
 * Which runs to list, in which order, which page.
 *
 * @param filter     an expression of {@link RunFilter}, or null for all runs
 * @param sort       {@code <field> [asc|desc]} as in {@link RunSort#parse(String)}, or null for newest first
 * @param limit      at most this many runs; 0 or less for no limit
 * @param offset     skip this many first
 * @param text       free text matched, case-insensitively and as a substring, against the run's name,
 *                   family, status and experiment name; null or blank for no text condition
 * @param experiment only runs of the experiment of this exact name; null for every experiment
 */
public record RunQuery(String filter, String sort, int limit, int offset, String text, String experiment) {

    public RunQuery(String filter, String sort, int limit, int offset) {
        this(filter, sort, limit, offset, null, null);
    }

    public static RunQuery all() {
        return new RunQuery(null, null, 0, 0);
    }

    public static RunQuery filter(String filter) {
        return new RunQuery(filter, null, 0, 0);
    }

    public RunQuery sortedBy(String sort) {
        return new RunQuery(filter, sort, limit, offset, text, experiment);
    }

    public RunQuery page(int limit, int offset) {
        return new RunQuery(filter, sort, limit, offset, text, experiment);
    }

    public RunQuery matching(String text) {
        return new RunQuery(filter, sort, limit, offset, text, experiment);
    }

    public RunQuery inExperiment(String experiment) {
        return new RunQuery(filter, sort, limit, offset, text, experiment);
    }
}
