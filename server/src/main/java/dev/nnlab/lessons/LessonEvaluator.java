package dev.nnlab.lessons;

import dev.nnlab.lessons.Verdict.CheckResult;
import dev.nnlab.lessons.Verdict.GroupValue;
import dev.nnlab.lessons.Verdict.Outcome;
import dev.nnlab.lessons.Verdict.RunValue;
import dev.nnlab.store.LayerStat;
import dev.nnlab.store.MetricPoint;
import dev.nnlab.store.Param;
import dev.nnlab.store.Run;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Measures a lesson's checks on stored runs. A group's value is the mean over its runs (its seeds).
 * Where groups have more than one run, their spread decides whether a difference is measurable: a
 * comparison holds or fails only when the difference of the means exceeds the pooled standard error
 * {@code sqrt(sd_a^2/n_a + sd_b^2/n_b)} (Welch); a threshold only when the mean is further from it than
 * the mean's standard error {@code sd/sqrt(n)}. Otherwise the verdict is "not measurable: seeds overlap".
 * Numbers are read only from FINISHED runs: a group with a run that ended otherwise is not measurable.
 */
public final class LessonEvaluator {
    private final Store store;

    public LessonEvaluator(Store store) {
        this.store = store;
    }

    public Verdict evaluate(Lesson lesson, List<Long> runIds) {
        Map<Long, Run> runs = new LinkedHashMap<>();
        for (long id : runIds) store.runs().get(id).ifPresent(r -> runs.put(id, r));
        Map<Long, List<Param>> params = store.runs().params(runs.keySet());
        List<CheckResult> results = new ArrayList<>();
        for (Check c : lesson.checks()) results.add(check(c, runs, params));
        return new Verdict(Verdict.combine(results), results);
    }

    private CheckResult check(Check c, Map<Long, Run> runs, Map<Long, List<Param>> params) {
        Measured a = measure(c, c.group(), runs, params);
        Measured b = c.other() == null ? null : measure(c, c.other(), runs, params);
        String describe = describe(c);
        GroupValue ga = a.group(), gb = b == null ? null : b.group();
        String problem = a.problem() != null ? a.problem() : b != null ? b.problem() : null;
        if (problem != null) return new CheckResult(describe, Outcome.NOT_MEASURABLE, problem, c.statistic().name(), c.compare(), ga, gb, c.value(), c.aggregate());
        if (c.statistic().name().equals(Statistic.STATUS)) {
            boolean want = c.compare().equals("==");
            List<Long> off = ga.runs().stream().filter(r -> r.text().equals(c.value()) != want).map(RunValue::runId).toList();
            return new CheckResult(describe, off.isEmpty() ? Outcome.HELD : Outcome.NOT_HELD,
                    off.isEmpty() ? "every run of the group" : "runs " + off + " do not", c.statistic().name(), c.compare(), ga, null, c.value(), c.aggregate());
        }
        if (b != null) {
            double diff = ga.mean() - gb.mean();
            double se = Math.sqrt(sem2(ga) + sem2(gb));
            if (se > 0 && Math.abs(diff) <= se) {
                return new CheckResult(describe, Outcome.NOT_MEASURABLE, fmt("not measurable: seeds overlap (difference %.4g is within the pooled standard error %.4g)", diff, se),
                        c.statistic().name(), c.compare(), ga, gb, null, c.aggregate());
            }
            boolean held = Check.holds(c.compare(), ga.mean(), gb.mean());
            String how = se > 0 ? fmt("difference %.4g, pooled standard error %.4g", diff, se) : fmt(c.best() ? "difference %.4g between the best runs" : "difference %.4g (one run per group: no spread)", diff);
            return new CheckResult(describe, held ? Outcome.HELD : Outcome.NOT_HELD, how, c.statistic().name(), c.compare(), ga, gb, null, c.aggregate());
        }
        double se = Math.sqrt(sem2(ga));
        double distance;
        boolean held;
        if (c.compare().equals("within")) {
            @SuppressWarnings("unchecked") List<Double> range = (List<Double>) c.value();
            held = ga.mean() >= range.get(0) && ga.mean() <= range.get(1);
            distance = Math.min(Math.abs(ga.mean() - range.get(0)), Math.abs(ga.mean() - range.get(1)));
        } else {
            double t = (Double) c.value();
            held = Check.holds(c.compare(), ga.mean(), t);
            distance = Math.abs(ga.mean() - t);
        }
        if (se > 0 && distance <= se) {
            return new CheckResult(describe, Outcome.NOT_MEASURABLE, fmt("not measurable: seeds overlap the threshold (mean %.4g, standard error %.4g)", ga.mean(), se),
                    c.statistic().name(), c.compare(), ga, null, c.value(), c.aggregate());
        }
        String how = se > 0 ? fmt("mean %.4g, standard error %.4g", ga.mean(), se) : c.best() ? fmt("%s %.4g of %d runs", c.aggregate(), ga.mean(), ga.runs().size())
                : fmt("mean %.4g%s", ga.mean(), ga.runs().size() == 1 ? " (one run: no spread)" : "");
        return new CheckResult(describe, held ? Outcome.HELD : Outcome.NOT_HELD, how, c.statistic().name(), c.compare(), ga, null, c.value(), c.aggregate());
    }

    private record Measured(GroupValue group, String problem) {}

    private Measured measure(Check c, Map<String, Object> group, Map<Long, Run> runs, Map<Long, List<Param>> params) {
        List<RunValue> values = new ArrayList<>();
        String problem = null;
        for (Run r : runs.values()) {
            if (!matches(group, params.getOrDefault(r.id(), List.of()))) continue;
            if (c.statistic().name().equals(Statistic.STATUS)) {
                values.add(new RunValue(r.id(), Double.NaN, r.status().name()));
                continue;
            }
            DerivedStatistic derived = DerivedStatistic.of(c.statistic().name());
            boolean readable = r.status() == RunStatus.FINISHED
                    || (r.status() == RunStatus.DIVERGED && derived != null && derived.readsDiverged);
            if (!readable) {
                if (problem == null) problem = "not measurable: run #" + r.id() + " ended " + r.status() + (r.error() == null ? "" : " (" + r.error() + ")");
                continue;
            }
            Read read = read(c.statistic(), r, params.getOrDefault(r.id(), List.of()));
            if (read.problem() != null && problem == null) problem = "not measurable: run #" + r.id() + " " + read.problem();
            values.add(new RunValue(r.id(), read.value(), null));
        }
        if (values.isEmpty() && problem == null) problem = "not measurable: no run of the batch is in the group " + label(group);
        if (c.best() && problem == null) {
            if (c.trials() > values.size()) {
                return new Measured(new GroupValue(group, values, Double.NaN, Double.NaN), "not measurable: the group has "
                        + values.size() + " run(s), fewer than the " + c.trials() + " trials the check reads");
            }
            List<RunValue> counted = c.trials() > 0 ? values.subList(0, c.trials()) : values;
            var stats = counted.stream().mapToDouble(RunValue::value).summaryStatistics();
            // the best of the group's runs: one number, no spread
            return new Measured(new GroupValue(group, List.copyOf(counted), c.aggregate().equals("max") ? stats.getMax() : stats.getMin(), Double.NaN), null);
        }
        double mean = values.stream().mapToDouble(RunValue::value).average().orElse(Double.NaN);
        double sd = Double.NaN;
        if (values.size() > 1) {
            double ss = values.stream().mapToDouble(v -> (v.value() - mean) * (v.value() - mean)).sum();
            sd = Math.sqrt(ss / (values.size() - 1));
        }
        return new Measured(new GroupValue(group, values, mean, sd), problem);
    }

    private record Read(double value, String problem) {}

    private Read read(Statistic s, Run run, List<Param> params) {
        long runId = run.id();
        List<double[]> points = new ArrayList<>();   // {epoch or step, value}
        switch (s.kind()) {
            case DERIVED -> {
                int logEvery = params.stream().filter(p -> p.key().equals("logEvery") && p.type() == Param.Type.NUMBER)
                        .mapToInt(p -> (int) p.number()).findFirst().orElse(0);
                DerivedStatistic.Reading r = DerivedStatistic.of(s.name()).read(store, run, logEvery);
                if (r.problem() != null) return new Read(Double.NaN, r.problem());
                points.addAll(r.points());
            }
            case METRIC, RUN -> {
                for (MetricPoint p : store.metrics().series(runId, s.name())) points.add(new double[] {p.epoch(), p.value()});
            }
            case LAYER -> {
                String layer = resolveLayer(s.layer(), runId);
                if (layer == null) return new Read(Double.NaN, "has no layer " + s.layer() + " reporting " + s.name());
                for (LayerStat p : store.layerStats().series(runId, layer, s.name())) points.add(new double[] {p.step(), p.value()});
            }
        }
        if (points.isEmpty()) return new Read(Double.NaN, "recorded no " + s.describe());
        boolean bySteps = s.kind() == Statistic.Kind.LAYER || (s.kind() == Statistic.Kind.DERIVED && !DerivedStatistic.of(s.name()).byEpoch());
        double v = select(points, s.at(), bySteps, runId);
        if (s.relativeTo() != null) v /= select(points, s.relativeTo(), bySteps, runId);
        if (!Double.isFinite(v)) return new Read(Double.NaN, "has no finite " + s.describe());
        return new Read(v, null);
    }

    /**
     * The value at one position of a series of {x, value} points. For a series by step (layer
     * statistics) the end of epoch E is the step of the run's {@code train_acc} point of that epoch.
     */
    private double select(List<double[]> points, Statistic.At at, boolean bySteps, long runId) {
        return switch (at) {
            case Statistic.At.Epoch(int e) -> {
                double end = e;
                if (bySteps) {
                    end = Double.NaN;
                    for (MetricPoint p : store.metrics().series(runId, "train_acc")) if (Math.round(p.epoch()) == e) end = p.step();
                    if (Double.isNaN(end)) yield Double.NaN;
                } else if (points.getLast()[0] < e - 1e-9) {
                    yield Double.NaN;
                }
                double last = Double.NaN;
                for (double[] p : points) if (p[0] <= end + 1e-9) last = p[1];
                yield last;
            }
            case Statistic.At.Select(String w) -> switch (w) {
                case "first" -> points.getFirst()[1];
                case "min" -> points.stream().mapToDouble(p -> p[1]).filter(Double::isFinite).min().orElse(Double.NaN);
                case "max" -> points.stream().mapToDouble(p -> p[1]).filter(Double::isFinite).max().orElse(Double.NaN);
                default -> points.getLast()[1];
            };
        };
    }

    /** {@code last:tanh}: the tanh layer with the greatest index; a plain name as it is. */
    private String resolveLayer(String selector, long runId) {
        List<String> layers = store.layerStats().latest(runId).stream().map(LayerStat::layer).distinct().toList();
        int colon = selector.indexOf(':');
        if (colon < 0) return layers.contains(selector) ? selector : null;
        String kind = selector.substring(colon + 1);
        Comparator<String> byIndex = Comparator.comparingInt(LessonEvaluator::index);
        var ofKind = layers.stream().filter(l -> !l.contains(".") && l.replaceAll("\\d+$", "").equals(kind));
        return (selector.startsWith("last:") ? ofKind.max(byIndex) : ofKind.min(byIndex)).orElse(null);
    }

    private static int index(String layer) {
        String digits = layer.replaceAll("^\\D+", "");
        return digits.isEmpty() ? -1 : Integer.parseInt(digits);
    }

    static boolean matches(Map<String, Object> group, List<Param> params) {
        for (var e : group.entrySet()) {
            Object stored = params.stream().filter(p -> p.key().equals(e.getKey())).findFirst()
                    .map(p -> (Object) (p.type() == Param.Type.NUMBER ? (Object) p.number() : p.type() == Param.Type.BOOLEAN
                            ? (Object) Boolean.valueOf(p.value()) : p.type() == Param.Type.JSON ? new RawJson(p.value()) : p.value()))
                    .orElse(null);
            if (stored instanceof RawJson(String text)) {
                if (!Objects.equals(Param.of("k", e.getValue()).value(), text)) return false;
            } else if (!LessonPlanCheck.same(e.getValue(), stored)) {
                return false;
            }
        }
        return true;
    }

    private record RawJson(String text) {}

    private static double sem2(GroupValue g) {
        int n = g.runs().size();
        return n > 1 && Double.isFinite(g.sd()) ? g.sd() * g.sd() / n : 0;
    }

    static String describe(Check c) {
        String rhs = c.other() != null ? label(c.other()) : c.compare().equals("within") ? String.valueOf(c.value()) : String.valueOf(c.value());
        String of = c.best() ? c.aggregate() + (c.trials() > 0 ? " of the first " + c.trials() + " runs of " : " of the runs of ") : "";
        return c.statistic().describe() + ": " + of + label(c.group()) + " " + c.compare() + " " + (c.best() && c.other() != null ? of : "") + rhs;
    }

    static String label(Map<String, Object> group) {
        if (group.isEmpty()) return "all runs";
        StringBuilder sb = new StringBuilder();
        for (var e : group.entrySet()) {
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(e.getKey()).append('=').append(Param.of(e.getKey(), e.getValue()).value());
        }
        return sb.toString();
    }

    private static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }
}
