package dev.nnlab.cli;

import dev.nnlab.store.Experiment;
import dev.nnlab.store.MetricSummary;
import dev.nnlab.store.Param;
import dev.nnlab.store.Run;
import dev.nnlab.store.Store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A run as the read commands show it: with its experiment's name, its parameters by key and the
 * summaries of its metrics by key (never the raw points).
 */
record ListedRun(Run run, String experiment, Map<String, Param> params, Map<String, MetricSummary> metrics) {

    /** Reads the parameters and metric summaries of {@code runs}, keeping their order. */
    static List<ListedRun> load(Store store, List<Run> runs) {
        Map<Long, String> experiments = store.experiments().list().stream()
                .collect(Collectors.toMap(Experiment::id, Experiment::name));
        Map<Long, List<MetricSummary>> summaries = store.metrics().summaries(runs.stream().map(Run::id).toList());
        List<ListedRun> out = new ArrayList<>(runs.size());
        for (Run r : runs) {
            Map<String, Param> params = new LinkedHashMap<>();
            for (Param p : store.runs().params(r.id())) params.put(p.key(), p);
            Map<String, MetricSummary> metrics = new LinkedHashMap<>();
            for (MetricSummary s : summaries.getOrDefault(r.id(), List.of())) metrics.put(s.key(), s);
            out.add(new ListedRun(r, experiments.getOrDefault(r.experimentId(), "#" + r.experimentId()), params, metrics));
        }
        return out;
    }

    /** The last value of a metric; NaN if the run has none. */
    double last(String key) {
        MetricSummary s = metrics.get(key);
        return s == null ? Double.NaN : s.last();
    }

    double min(String key) {
        MetricSummary s = metrics.get(key);
        return s == null ? Double.NaN : s.min();
    }

    double max(String key) {
        MetricSummary s = metrics.get(key);
        return s == null ? Double.NaN : s.max();
    }

    /** The parameter's value as text, or "" when the run does not have it. */
    String param(String key) {
        Param p = params.get(key);
        return p == null ? "" : p.value();
    }
}
