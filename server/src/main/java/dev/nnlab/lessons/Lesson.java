package dev.nnlab.lessons;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nnlab.sweep.SpecException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A claim of a course that an experiment measures, given as the spec's {@code lesson}:
 * <pre>{@code
 * "lesson": {
 *   "claim": "Momentum speeds up SGD: after one epoch at the same learning rate the training loss is lower.",
 *   "source": "CS231n, Optimization: SGD with momentum",
 *   "checks": [
 *     {"statistic": "train_loss", "at": {"epoch": 1}, "group": {"optimizer": "momentum"},
 *      "compare": "<", "other": {"optimizer": "sgd"}},
 *     {"statistic": "act_std", "layer": "last:tanh", "at": "last", "group": {"initStd": 0.01},
 *      "compare": "<", "value": 0.01}
 *   ]
 * }
 * }</pre>
 * Parsing checks the shape and the vocabulary ({@link Statistic}, {@link Check}); {@link LessonPlanCheck}
 * checks the groups and epochs against the planned trials. Every error names the JSON path.
 */
public record Lesson(String claim, String source, List<Check> checks, JsonNode document) {

    private static final Set<String> FIELDS = Set.of("claim", "source", "checks");
    private static final Set<String> CHECK_FIELDS = Set.of("statistic", "layer", "at", "relative_to", "group", "compare", "other",
            "value", "aggregate", "trials");

    /** The spec's lesson, or null when {@code node} is null (a spec without a lesson). */
    public static Lesson parse(String specSource, JsonNode node) {
        if (node == null) return null;
        Fail f = new Fail(specSource);
        if (!node.isObject()) f.at("$.lesson", "expected an object with claim, source and checks");
        unknownFields(f, node, FIELDS, "$.lesson");
        String claim = text(f, node, "claim", "$.lesson.claim");
        String source = text(f, node, "source", "$.lesson.source");
        JsonNode cs = node.get("checks");
        if (cs == null || !cs.isArray() || cs.isEmpty()) f.at("$.lesson.checks", "expected a non-empty list of checks");
        List<Check> checks = new ArrayList<>();
        for (int i = 0; i < cs.size(); i++) checks.add(check(f, cs.get(i), "$.lesson.checks[" + i + "]"));
        return new Lesson(claim, source, List.copyOf(checks), node);
    }

    private static Check check(Fail f, JsonNode c, String path) {
        if (!c.isObject()) f.at(path, "expected an object");
        unknownFields(f, c, CHECK_FIELDS, path);
        String name = text(f, c, "statistic", path + ".statistic");
        Statistic.Kind kind = Statistic.kindOf(name);
        if (kind == null) {
            f.at(path + ".statistic", "\"" + name + "\" is not a statistic nnlab records; metrics: " + Statistic.METRICS
                    + ", layer statistics: " + Statistic.LAYER_STATS + ", run values: " + Statistic.RUN_VALUES
                    + ", Hessian (with hessian: true): " + Statistic.HESSIAN + ", word vectors (word2vec): " + Statistic.WORD_VECTORS + ", derived statistics: " + DerivedStatistic.NAMES);
        }
        String layer = null;
        if (kind == Statistic.Kind.LAYER) {
            layer = text(f, c, "layer", path + ".layer");
            if (!layer.matches("((first|last):)?[a-z_]+\\d*(\\.[a-z_]+\\d+)*")) {
                f.at(path + ".layer", "\"" + layer + "\" is not a layer name (kind and index, e.g. tanh17) "
                        + "nor last:KIND / first:KIND (e.g. last:tanh)");
            }
            if (!layer.contains(":") && !layer.matches(".*\\d")) {
                f.at(path + ".layer", "\"" + layer + "\" names no single layer; give its index (tanh17) or last:" + layer);
            }
        } else if (c.has("layer")) {
            f.at(path + ".layer", name + " is not a layer statistic; leave out \"layer\"");
        }
        Statistic.At at = at(f, c.get("at"), name, kind, path + ".at");
        Statistic.At relativeTo = null;
        if (c.has("relative_to")) {
            if (name.equals(Statistic.STATUS)) f.at(path + ".relative_to", "status is no number; leave out \"relative_to\"");
            relativeTo = at(f, c.get("relative_to"), name, kind, path + ".relative_to");
            if (relativeTo.equals(at)) f.at(path + ".relative_to", "is the same position as \"at\"; the ratio would be 1");
        }
        String aggregate = "mean";
        if (c.has("aggregate")) {
            JsonNode a = c.get("aggregate");
            if (!a.isTextual() || !Check.AGGREGATES.contains(a.textValue())) f.at(path + ".aggregate", a + " is not allowed; expected one of " + Check.AGGREGATES);
            aggregate = a.textValue();
        }
        int trials = 0;
        if (c.has("trials")) {
            JsonNode t = c.get("trials");
            if (aggregate.equals("mean")) f.at(path + ".trials", "counts the trials of a best-of group; give \"aggregate\": \"max\" or \"min\" with it");
            if (!t.isIntegralNumber() || !t.canConvertToInt() || t.intValue() < 1) f.at(path + ".trials", t + " is not allowed; expected a number of trials from 1");
            trials = t.intValue();
        }
        Map<String, Object> group = group(f, c.get("group"), path + ".group", true);
        String compare = text(f, c, "compare", path + ".compare");
        Map<String, Object> other = c.has("other") ? group(f, c.get("other"), path + ".other", false) : null;
        JsonNode v = c.get("value");
        if ((other == null) == (v == null)) f.at(path, "give exactly one of \"other\" (a second group) and \"value\" (a threshold)");
        Object value = null;
        if (name.equals(Statistic.STATUS)) {
            if (!aggregate.equals("mean")) f.at(path + ".aggregate", "status has no best; leave out \"aggregate\"");
            if (other != null) f.at(path + ".other", "status is compared with a value, not between groups");
            if (!compare.equals("==") && !compare.equals("!=")) f.at(path + ".compare", "\"" + compare + "\" is not allowed for status; expected == or !=");
            if (!v.isTextual() || !v.textValue().matches("FINISHED|FAILED|DIVERGED|INTERRUPTED|STOPPED")) {
                f.at(path + ".value", v + " is not allowed; expected one of FINISHED, FAILED, DIVERGED, INTERRUPTED, STOPPED");
            }
            value = v.textValue();
        } else if (compare.equals("within")) {
            if (other != null) f.at(path + ".compare", "within compares with a range; give \"value\": [low, high] instead of \"other\"");
            if (!v.isArray() || v.size() != 2 || !v.get(0).isNumber() || !v.get(1).isNumber() || !(v.get(0).doubleValue() < v.get(1).doubleValue())) {
                f.at(path + ".value", v + " is not allowed; within expects [low, high] numbers with low < high");
            }
            value = List.of(v.get(0).doubleValue(), v.get(1).doubleValue());
        } else {
            if (!Check.ORDERINGS.contains(compare)) {
                f.at(path + ".compare", "\"" + compare + "\" is not allowed; expected one of " + Check.ORDERINGS + " or within");
            }
            if (v != null) {
                if (!v.isNumber() || !Double.isFinite(v.doubleValue())) f.at(path + ".value", v + " is not allowed; expected a finite number");
                value = v.doubleValue();
            }
        }
        return new Check(new Statistic(name, kind, layer, at, relativeTo), group, compare, other, value, path, aggregate, trials);
    }

    private static Statistic.At at(Fail f, JsonNode at, String name, Statistic.Kind kind, String path) {
        if (at == null) return new Statistic.At.Select("last");
        if (kind == Statistic.Kind.RUN) f.at(path, "a run value has one value; leave out \"at\"");
        DerivedStatistic derived = DerivedStatistic.of(name);
        if (derived != null && !derived.series) f.at(path, name + " is one value per run; leave out \"at\"");
        if (at.isTextual()) {
            if (!Statistic.SELECTORS.contains(at.textValue())) f.at(path, "\"" + at.textValue() + "\" is not allowed; expected one of " + new TreeSet<>(Statistic.SELECTORS) + " or {\"epoch\": E}");
            return new Statistic.At.Select(at.textValue());
        }
        if (at.isObject() && at.size() == 1 && at.has("epoch")) {
            JsonNode e = at.get("epoch");
            if (!e.isIntegralNumber() || !e.canConvertToInt() || e.intValue() < 1) f.at(path + ".epoch", e + " is not allowed; expected an epoch from 1");
            return new Statistic.At.Epoch(e.intValue());
        }
        f.at(path, at + " is not allowed; expected first, last, min, max or {\"epoch\": E}");
        return null;
    }

    private static Map<String, Object> group(Fail f, JsonNode g, String path, boolean required) {
        if (g == null && !required) return null;
        if (g == null) return Map.of();
        if (!g.isObject()) f.at(path, "expected an object of parameter values, e.g. {\"optimizer\": \"sgd\"}");
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = g.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode v = e.getValue();
            Object value;
            if (v.isNumber()) value = v.numberValue();
            else if (v.isTextual()) value = v.textValue();
            else if (v.isBoolean()) value = v.booleanValue();
            else if (v.isArray()) value = v;
            else {
                f.at(path + "." + e.getKey(), v + " is not allowed; expected a parameter value");
                continue;
            }
            out.put(e.getKey(), value);
        }
        return out;
    }

    private static String text(Fail f, JsonNode parent, String field, String path) {
        JsonNode v = parent.get(field);
        if (v == null) f.at(path, "missing; required");
        if (!v.isTextual() || v.textValue().isBlank()) f.at(path, v + " is not allowed; expected a non-empty string");
        return v.textValue();
    }

    private static void unknownFields(Fail f, JsonNode node, Set<String> allowed, String path) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) f.at(path + "." + name, "unknown field; allowed: " + new TreeSet<>(allowed));
        }
    }

    private record Fail(String source) {
        void at(String path, String message) { throw new SpecException(source, path, message); }
    }
}
