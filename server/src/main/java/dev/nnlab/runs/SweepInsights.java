package dev.nnlab.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnlab.host.LoadedFamily;
import dev.nnlab.host.PluginRegistry;
import dev.nnlab.lessons.UnknownExperimentException;
import dev.nnlab.spi.ParamSpec;
import dev.nnlab.store.Experiment;
import dev.nnlab.store.MetricSummary;
import dev.nnlab.store.Param;
import dev.nnlab.store.Run;
import dev.nnlab.store.RunQuery;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;
import dev.nnlab.sweep.SweepOptions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What an experiment's sweep page reads beside its runs: the successive-halving rungs
 * ({@code GET /api/experiments/{id}/rungs}) and the parameters' importance for a metric
 * ({@code GET /api/experiments/{id}/importance?metric=val_acc&summary=last|best}).
 */
public final class SweepInsights {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Store store;
    private final PluginRegistry plugins;

    public SweepInsights(Store store, PluginRegistry plugins) {
        this.store = store;
        this.plugins = plugins;
    }

    /** One run in a rung; {@code promoted} is null in the last rung (nothing follows it). */
    public record RungRun(long id, String name, String status, Integer epochs, Double score, Boolean promoted) {}

    public record Rung(int rung, Integer epochs, List<RungRun> runs) {}

    /** {@code halving} as the spec gave it, null when the experiment has none. */
    public record Rungs(long experimentId, SweepOptions.Halving halving, List<Rung> rungs) {}

    public Rungs rungs(long experimentId) {
        Experiment e = experiment(experimentId);
        SweepOptions.Halving h = e.spec() == null ? null : SweepOptions.parse(e.name(), e.spec()).halving();
        List<Run> runs = runs(e);
        Map<Integer, List<Run>> byRung = new TreeMap<>();
        Set<Long> promotedIds = new HashSet<>();
        for (Run r : runs) {
            JsonNode sweep = r.config() == null ? null : r.config().get("sweep");
            if (sweep == null || !sweep.hasNonNull("rung")) continue;
            byRung.computeIfAbsent(sweep.get("rung").asInt(), k -> new ArrayList<>()).add(r);
            if (sweep.hasNonNull("promotedFrom")) sweep.get("promotedFrom").forEach(id -> promotedIds.add(id.asLong()));
        }
        Map<Long, List<MetricSummary>> sums = store.metrics().summaries(runs.stream().map(Run::id).toList());
        List<Rung> out = new ArrayList<>();
        for (var entry : byRung.entrySet()) {
            int rung = entry.getKey();
            boolean last = h == null || rung + 1 >= h.rungs();
            List<RungRun> rows = new ArrayList<>();
            for (Run r : entry.getValue()) {
                Double score = null;
                if (h != null) {
                    for (MetricSummary m : sums.getOrDefault(r.id(), List.of())) {
                        if (m.key().equals(h.metric()) && Double.isFinite(m.last())) score = m.last();
                    }
                }
                JsonNode epochs = r.config().path("params").path("epochs");
                rows.add(new RungRun(r.id(), r.name(), r.status().name(), epochs.isNumber() ? epochs.asInt() : null, score,
                        last ? null : promotedIds.contains(r.id())));
            }
            Comparator<RungRun> order = Comparator.comparing(RungRun::score, Comparator.nullsLast(
                    h != null && h.lowerIsBetter() ? Comparator.<Double>naturalOrder() : Comparator.<Double>reverseOrder()));
            rows.sort(order);
            out.add(new Rung(rung, h == null || rung >= h.rungs() ? null : h.epochs().get(rung), rows));
        }
        return new Rungs(experimentId, h, out);
    }

    /** The importance answer; {@code note} says what was left out and why. */
    public record Importance(long experimentId, String metric, String summary, int runs, String note,
                             List<ParamImportance.Result> params) {}

    public Importance importance(long experimentId, String metric, String summary) {
        Experiment e = experiment(experimentId);
        if (metric == null || metric.isBlank()) throw new InvalidInputException("metric: missing; give the metric to explain, e.g. metric=val_acc");
        String how = summary == null || summary.isBlank() ? "last" : summary;
        if (!how.equals("last") && !how.equals("best")) {
            throw new InvalidInputException("summary: \"" + how + "\" is not allowed; expected last or best");
        }
        List<Run> runs = runs(e);
        Map<Long, List<MetricSummary>> sums = store.metrics().summaries(runs.stream().map(Run::id).toList());
        Set<String> recorded = new TreeSet<>();
        sums.values().forEach(l -> l.forEach(m -> recorded.add(m.key())));
        if (!recorded.contains(metric)) {
            throw new InvalidInputException("metric: \"" + metric + "\" is not recorded by any run of experiment " + e.name()
                    + "; recorded: " + recorded);
        }
        boolean lower = metric.endsWith("_loss");
        List<Run> used = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (Run r : runs) {
            if (r.status() != RunStatus.FINISHED) continue;
            for (MetricSummary m : sums.getOrDefault(r.id(), List.of())) {
                if (!m.key().equals(metric)) continue;
                double v = how.equals("last") ? m.last() : lower ? m.min() : m.max();
                if (Double.isFinite(v)) {
                    used.add(r);
                    ys.add(v);
                }
            }
        }
        Map<Long, List<Param>> params = store.runs().params(used.stream().map(Run::id).toList());
        Map<String, List<Object>> values = new LinkedHashMap<>();
        for (int i = 0; i < used.size(); i++) {
            for (Param p : params.getOrDefault(used.get(i).id(), List.of())) {
                values.computeIfAbsent(p.key(), k -> new ArrayList<>());
            }
        }
        for (Run r : used) {
            Map<String, Object> byKey = new LinkedHashMap<>();
            for (Param p : params.getOrDefault(r.id(), List.of())) byKey.put(p.key(), RunRow.value(p));
            for (var col : values.entrySet()) col.getValue().add(byKey.get(col.getKey()));
        }
        LoadedFamily family = used.isEmpty() ? null : plugins.family(used.getFirst().family());
        List<ParamImportance.Column> columns = new ArrayList<>();
        for (var col : values.entrySet()) {
            ParamImportance.Column c = column(col.getKey(), col.getValue(), family);
            if (c != null) columns.add(c);
        }
        double[] y = ys.stream().mapToDouble(Double::doubleValue).toArray();
        List<ParamImportance.Result> results = new ArrayList<>(ParamImportance.of(columns, y, 0x5EEDL));
        results.sort(Comparator.comparing(ParamImportance.Result::importance, Comparator.nullsLast(Comparator.<Double>reverseOrder())));
        String note = used.size() + " finished run(s) with " + metric + " (" + how + "); " + (runs.size() - used.size())
                + " left out (not finished, or without a finite value); only parameters that vary among them are shown";
        if (used.size() < ParamImportance.MIN_RUNS) note += "; the forest needs at least " + ParamImportance.MIN_RUNS + " runs";
        return new Importance(experimentId, metric, how, used.size(), note, results);
    }

    /** A varying parameter as numbers: log10 where the schema says log scale and every value is positive; else category codes. */
    private static ParamImportance.Column column(String name, List<Object> raw, LoadedFamily family) {
        Set<String> distinct = new TreeSet<>();
        for (Object v : raw) distinct.add(String.valueOf(v));
        if (distinct.size() < 2) return null;
        boolean numeric = raw.stream().allMatch(v -> v instanceof Number);
        ParamSpec spec = family == null ? null : family.family().params().spec(name);
        if (numeric) {
            boolean log = spec != null && spec.logScale() && raw.stream().allMatch(v -> ((Number) v).doubleValue() > 0);
            double[] x = raw.stream().mapToDouble(v -> log ? Math.log10(((Number) v).doubleValue()) : ((Number) v).doubleValue()).toArray();
            return new ParamImportance.Column(name, x, false, log);
        }
        List<String> codes = new ArrayList<>(distinct);
        double[] x = raw.stream().mapToDouble(v -> codes.indexOf(String.valueOf(v))).toArray();
        return new ParamImportance.Column(name, x, true, false);
    }

    private Experiment experiment(long id) {
        return store.experiments().find(id).orElseThrow(() -> new UnknownExperimentException(id));
    }

    private List<Run> runs(Experiment e) {
        return store.runs().list(RunQuery.all().inExperiment(e.name()).sortedBy("id asc"));
    }
}
