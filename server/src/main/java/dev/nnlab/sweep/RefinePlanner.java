package dev.nnlab.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnlab.spi.ParamSchema;
import dev.nnlab.spi.ParamSpec;
import dev.nnlab.spi.ParamType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Coarse to fine (CS231n): from an earlier experiment's runs, a finer random search around its best
 * region. The best {@value #TOP_SHARE} of the finished runs by the metric (at least {@value #MIN_TOP})
 * mark the region. Each numeric parameter the coarse search varied (grid or random) gets a new range:
 * when the coarse search drew it from a range: the span of the best runs' values widened by {@value #MARGIN} of that span on each side (at least a
 * factor of 2 around a single value), in log space where the schema says the parameter lives on a log
 * scale or the coarse search drew it log-uniformly, clipped to the coarse range (a best value at its
 * edge widens past it by the same margin, since the optimum may lie outside). A parameter of a grid,
 * of variants or of a {@code choice} (and any categorical one) keeps the values the best runs used. The rest of the spec (params, seeds, early stopping) stays.
 *
 * @param document    the new spec
 * @param explanation what was chosen and why, one line each
 */
public record RefinePlanner(ObjectNode document, List<String> explanation) {
    static final double TOP_SHARE = 0.25, MARGIN = 0.25;
    static final int MIN_TOP = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A finished run of the coarse experiment: its parameters and the metric's value. */
    public record Scored(long runId, Map<String, Object> params, double value) {}

    public static RefinePlanner plan(ExperimentSpec coarse, ParamSchema schema, List<Scored> runs, String metric,
                                     boolean lowerIsBetter, int trials, String newName) {
        if (runs.size() < MIN_TOP) {
            throw new IllegalArgumentException("experiment " + coarse.name() + " has " + runs.size() + " finished run(s) with " + metric
                    + "; refining needs at least " + MIN_TOP);
        }
        Set<String> varied = new LinkedHashSet<>(coarse.grid().keySet());
        if (coarse.random() != null) varied.addAll(coarse.random().params().keySet());
        for (Map<String, Object> v : coarse.variants()) varied.addAll(v.keySet());
        varied.remove("seed");
        varied.remove("epochs");
        if (varied.isEmpty()) {
            throw new IllegalArgumentException("experiment " + coarse.name() + " varies no parameter (grid, variants or random): "
                    + "there is no region to refine");
        }
        List<Scored> sorted = new ArrayList<>(runs);
        Comparator<Scored> order = Comparator.comparingDouble(Scored::value);
        sorted.sort(lowerIsBetter ? order : order.reversed());
        int k = Math.max(MIN_TOP, (int) Math.ceil(TOP_SHARE * sorted.size()));
        List<Scored> top = sorted.subList(0, Math.min(k, sorted.size()));
        List<String> why = new ArrayList<>();
        why.add(String.format(Locale.ROOT, "best %d of %d finished runs by %s (%s): %s", top.size(), runs.size(), metric,
                lowerIsBetter ? "lowest" : "highest",
                String.join(", ", top.stream().map(s -> String.format(Locale.ROOT, "#%d %.4g", s.runId(), s.value())).toList())));

        ObjectNode doc = coarse.document().deepCopy();
        doc.put("name", newName);
        doc.remove("lesson");
        doc.remove("grid");
        doc.remove("variants");
        ObjectNode params = doc.has("params") ? (ObjectNode) doc.get("params") : doc.putObject("params");
        ObjectNode random = JSON.createObjectNode();
        random.put("trials", trials);
        random.put("seed", coarse.random() == null ? 1 : coarse.random().seed() + 1);
        ObjectNode dists = random.putObject("params");
        for (String name : varied) {
            ParamSpec ps = schema.spec(name);
            List<Object> values = top.stream().map(s -> s.params().get(name)).toList();
            // A range only where the coarse search drew from one: grid, variant and choice values are discrete on purpose.
            boolean drawn = coarse.random() != null && coarse.random().params().get(name) != null
                    && !(coarse.random().params().get(name) instanceof ExperimentSpec.Distribution.Choice);
            boolean numeric = drawn && ps != null && (ps.type() == ParamType.INT || ps.type() == ParamType.FLOAT)
                    && values.stream().allMatch(v -> v instanceof Number);
            if (!numeric) {
                List<Object> distinct = new ArrayList<>(new LinkedHashSet<>(values));
                if (distinct.size() == 1) {
                    params.set(name, JSON.valueToTree(distinct.getFirst()));
                    why.add(name + ": fixed at " + json(distinct.getFirst()) + ", the value every best run used");
                } else {
                    ArrayNode choice = dists.putObject(name).putArray("choice");
                    distinct.forEach(v -> choice.add(JSON.valueToTree(v)));
                    why.add(name + ": choice of " + json(distinct) + ", the values the best runs used");
                }
                continue;
            }
            double[] coarseRange = coarseRange(coarse, name);
            boolean log = (ps.logScale() || (coarse.random() != null
                    && coarse.random().params().get(name) instanceof ExperimentSpec.Distribution.LogUniform))
                    && values.stream().allMatch(v -> ((Number) v).doubleValue() > 0) && coarseRange[0] > 0;
            double lo = values.stream().mapToDouble(v -> t(((Number) v).doubleValue(), log)).min().orElseThrow();
            double hi = values.stream().mapToDouble(v -> t(((Number) v).doubleValue(), log)).max().orElseThrow();
            double cLo = t(coarseRange[0], log), cHi = t(coarseRange[1], log);
            double span = hi - lo;
            double margin = span > 0 ? MARGIN * span : log ? Math.log10(2) : Math.max(Math.abs(lo) * 0.5, MARGIN * (cHi - cLo));
            double newLo = lo - margin, newHi = hi + margin;
            // Inside the coarse range unless the best runs sit at its edge: then the optimum may lie beyond.
            if (lo > cLo) newLo = Math.max(newLo, cLo);
            if (hi < cHi) newHi = Math.min(newHi, cHi);
            double a = u(newLo, log), b = u(newHi, log);
            if (ps.type() == ParamType.INT) {
                int ia = (int) Math.floor(a), ib = (int) Math.ceil(b);
                ia = Math.max(ia, ps.min() == null ? ia : (int) Math.ceil(ps.min()));
                ib = Math.min(ib, ps.max() == null ? ib : (int) Math.floor(ps.max()));
                if (ia >= ib) {
                    params.put(name, ia);
                    why.add(name + ": fixed at " + ia + ", the best runs' value");
                } else {
                    dists.putObject(name).putArray("intUniform").add(ia).add(ib);
                    why.add(String.format(Locale.ROOT, "%s: intUniform [%d, %d] (coarse %s; best runs %s)", name, ia, ib,
                            range(coarseRange), range(values)));
                }
                continue;
            }
            a = clip(a, ps);
            b = clip(b, ps);
            dists.putObject(name).putArray(log ? "logUniform" : "uniform").add(a).add(b);
            why.add(String.format(Locale.ROOT, "%s: %s [%.4g, %.4g] (coarse %s; best runs %s%s)", name, log ? "logUniform" : "uniform",
                    a, b, range(coarseRange), range(values), log ? "; log scale, as the schema or the coarse search says" : ""));
        }
        if (!dists.isEmpty()) doc.set("random", random);
        else doc.remove("random");
        String description = "Refined from " + coarse.name() + " by " + metric + ": " + String.join("; ", why.subList(1, why.size())) + ".";
        doc.put("description", description.length() > 2000 ? description.substring(0, 2000) : description);
        return new RefinePlanner(doc, why);
    }

    /** The coarse search's range of a parameter: its random distribution's bounds, else its grid / variant values' span. */
    private static double[] coarseRange(ExperimentSpec coarse, String name) {
        if (coarse.random() != null && coarse.random().params().get(name) != null) {
            switch (coarse.random().params().get(name)) {
                case ExperimentSpec.Distribution.LogUniform(double lo, double hi) -> { return new double[]{lo, hi}; }
                case ExperimentSpec.Distribution.Uniform(double lo, double hi) -> { return new double[]{lo, hi}; }
                case ExperimentSpec.Distribution.IntUniform(int lo, int hi) -> { return new double[]{lo, hi}; }
                case ExperimentSpec.Distribution.Choice(List<Object> values) -> { return span(values); }
            }
        }
        List<Object> values = new ArrayList<>(coarse.grid().getOrDefault(name, List.of()));
        for (Map<String, Object> v : coarse.variants()) if (v.containsKey(name)) values.add(v.get(name));
        return span(values);
    }

    private static double[] span(List<Object> values) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Object v : values) {
            if (v instanceof Number n) {
                lo = Math.min(lo, n.doubleValue());
                hi = Math.max(hi, n.doubleValue());
            }
        }
        return new double[]{lo, hi};
    }

    private static double clip(double v, ParamSpec ps) {
        // An exclusive bound of the schema is kept out of by the smallest step.
        if (ps.min() != null && v <= ps.min()) v = ps.minInclusive() ? ps.min() : Math.nextUp(ps.min());
        if (ps.max() != null && v >= ps.max()) v = ps.maxInclusive() ? ps.max() : Math.nextDown(ps.max());
        return v;
    }

    private static double t(double v, boolean log) { return log ? Math.log10(v) : v; }

    private static double u(double v, boolean log) { return log ? Math.pow(10, v) : v; }

    private static String range(double[] r) { return String.format(Locale.ROOT, "[%.4g, %.4g]", r[0], r[1]); }

    private static String range(List<Object> values) {
        double[] r = span(values);
        return r[0] == r[1] ? String.format(Locale.ROOT, "%.4g", r[0]) : range(r);
    }

    private static String json(Object v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return String.valueOf(v);
        }
    }
}
