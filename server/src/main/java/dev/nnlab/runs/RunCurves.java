package dev.nnlab.runs;

import dev.nnlab.store.LayerStat;
import dev.nnlab.store.MetricSeries;
import dev.nnlab.store.MetricSummary;
import dev.nnlab.store.Store;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run recorded over time, for charts and exports: learning curves (bucketed for charts, in
 * full for CSV), per-layer statistics and diagnostic events. Knows nothing of HTTP.
 */
public final class RunCurves {
    /** More buckets than this gains nothing on a screen and only costs transfer. */
    public static final int MAX_POINTS = 100_000;

    private final Store store;

    public RunCurves(Store store) {
        this.store = store;
    }

    /** One curve for a chart: its (bucketed) points, how many points it has in all, and whether it was bucketed. */
    public record Curve(List<CurveSampler.Sample> points, long total, boolean bucketed) {}

    public record RunMetrics(long runId, Map<String, Curve> series) {}

    public record LayerPoint(long step, double value) {}

    public record LatestLayerStat(String layer, String stat, long step, double value) {}

    /** The latest value of every (layer, stat), and every stat's series by layer. */
    public record LayerReport(List<LatestLayerStat> latest, Map<String, Map<String, List<LayerPoint>>> series) {}

    public record EventView(Long step, String level, String code, String message, String hint, long wallTime) {}

    /**
     * The run's curves named in {@code keys} (all of them when null or empty; an unknown key gives an
     * empty curve), each bucketed to at most {@code maxPoints} points unless {@code raw}.
     */
    public RunMetrics metrics(long runId, List<String> keys, int maxPoints, boolean raw) {
        if (maxPoints < 1 || maxPoints > MAX_POINTS) {
            throw new InvalidInputException("maxPoints " + maxPoints + " is not allowed; expected 1 to " + MAX_POINTS);
        }
        Map<String, MetricSummary> summaries = summaries(runId);
        List<String> wanted = keys == null || keys.isEmpty() ? List.copyOf(summaries.keySet()) : keys;
        Map<String, Curve> out = new LinkedHashMap<>();
        for (String key : wanted) {
            MetricSummary sum = summaries.get(key);
            if (sum == null) {
                out.put(key, new Curve(List.of(), 0, false));
                continue;
            }
            MetricSeries s = store.metrics().columns(runId, key, expected(sum));
            boolean bucketed = !raw && s.size() > maxPoints;
            out.put(key, new Curve(raw ? CurveSampler.raw(s) : CurveSampler.bucketed(s, maxPoints), s.size(), bucketed));
        }
        return new RunMetrics(runId, out);
    }

    /** The columns of a metrics CSV, the same from the HTTP API and {@code ./nnlab runs export}. */
    public static final List<String> CSV_HEADER = List.of("run_id", "key", "step", "epoch", "wall_time", "value");

    /** Runs' curves ready to be written as CSV; the runs were found when this was made. */
    public final class CsvExport {
        private final Map<Long, List<MetricSummary>> curves;

        private CsvExport(Map<Long, List<MetricSummary>> curves) {
            this.curves = curves;
        }

        /**
         * Every point of every curve, by run, key, then step: {@code run_id,key,step,epoch,wall_time,value}
         * with the wall time in epoch ms; returns how many points it wrote.
         */
        public long writeTo(Writer out) throws IOException {
            long n = 0;
            try (CsvRows csv = new CsvRows(out, CSV_HEADER)) {
                for (Map.Entry<Long, List<MetricSummary>> run : curves.entrySet()) {
                    String runId = String.valueOf(run.getKey());
                    for (MetricSummary sum : run.getValue()) {
                        // One curve in memory at a time, and the store's lock is not held while the client reads.
                        MetricSeries s = store.metrics().columns(run.getKey(), sum.key(), expected(sum));
                        for (int i = 0; i < s.size(); i++) {
                            csv.add(List.of(runId, sum.key(), String.valueOf(s.steps()[i]), CsvRows.number(s.epochs()[i]),
                                    String.valueOf(s.wallTimes()[i]), CsvRows.number(s.values()[i])));
                            n++;
                        }
                    }
                }
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
            out.flush();
            return n;
        }
    }

    /**
     * Checks the run exists (so an HTTP answer can still be a 404) and returns what writes its CSV.
     *
     * @throws UnknownRunException when there is no such run
     */
    public CsvExport csv(long runId) {
        return csv(List.of(runId));
    }

    /** The CSV of several runs, in the given order, under one header. */
    public CsvExport csv(List<Long> runIds) {
        Map<Long, List<MetricSummary>> curves = new LinkedHashMap<>();
        for (long id : runIds) curves.put(id, List.copyOf(summaries(id).values()));
        return new CsvExport(curves);
    }

    public LayerReport layers(long runId) {
        requireRun(runId);
        List<LatestLayerStat> latest = new ArrayList<>();
        for (LayerStat s : store.layerStats().latest(runId)) {
            latest.add(new LatestLayerStat(s.layer(), s.stat(), s.step(), s.value()));
        }
        Map<String, Map<String, List<LayerPoint>>> series = new LinkedHashMap<>();
        for (LayerStat s : store.layerStats().all(runId)) {
            series.computeIfAbsent(s.stat(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(s.layer(), k -> new ArrayList<>())
                    .add(new LayerPoint(s.step(), s.value()));
        }
        return new LayerReport(latest, series);
    }

    public List<EventView> events(long runId) {
        requireRun(runId);
        return store.events().list(runId).stream()
                .map(e -> new EventView(e.step() < 0 ? null : e.step(), e.level().name(), e.code(), e.message(), e.hint(),
                        e.wallTime()))
                .toList();
    }

    private static int expected(MetricSummary s) {
        return (int) Math.min(s.count(), 1 << 24);
    }

    private Map<String, MetricSummary> summaries(long runId) {
        requireRun(runId);
        Map<String, MetricSummary> out = new LinkedHashMap<>();
        for (MetricSummary s : store.metrics().summaries(runId)) out.put(s.key(), s);
        return out;
    }

    private void requireRun(long runId) {
        if (store.runs().get(runId).isEmpty()) throw new UnknownRunException(runId);
    }

}
