package dev.nnlab.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnlab.spi.ParamSchema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An experiment of several searches side by side, for comparing them in one batch (a grid against a
 * random search of the same size; a coarse search and a fine one):
 * <pre>{@code
 * "parts": [
 *   {"name": "grid",   "grid": {"lr": [0.001, 0.03, 1.0], "weightDecay": [1e-6, 3e-5, 1e-3]}},
 *   {"name": "random", "random": {"trials": 9, "seed": 7, "params": {"lr": {"logUniform": [0.001, 1.0]}}}}
 * ]
 * }</pre>
 * Each part is planned like a spec of its own from the spec's {@code params}, {@code seeds} and
 * {@code epochs} plus its own {@code grid}, {@code variants}, {@code random} and {@code params}; the
 * trials follow part after part. Every trial carries its part's name as {@value #KEY} among its varied
 * values, and its run records it as the parameter {@value #KEY} (the family never sees it), so a lesson's
 * group can select a part: {@code {"part": "random"}}.
 */
public final class SpecParts {
    /** The pseudo-parameter that names a trial's part. */
    public static final String KEY = "part";
    private static final Set<String> FIELDS = Set.of("name", "grid", "variants", "random", "params");

    private SpecParts() {}

    public static boolean present(ExperimentSpec spec) {
        return spec.document() != null && spec.document().has("parts");
    }

    /** The names of the spec's parts, in order; empty without parts. */
    public static List<String> names(ExperimentSpec spec) {
        List<String> out = new ArrayList<>();
        if (!present(spec)) return out;
        for (JsonNode p : spec.document().get("parts")) out.add(p.path("name").asText());
        return out;
    }

    /** Plans every part and concatenates their trials, re-indexed, each with its part in {@code varied}. */
    static List<Trial> plan(String source, ExperimentSpec spec, ParamSchema schema) {
        JsonNode root = spec.document();
        for (String f : List.of("grid", "variants", "random")) {
            if (root.has(f)) throw new SpecException(source, "$." + f, "is not allowed beside \"parts\"; give it inside each part");
        }
        JsonNode parts = root.get("parts");
        if (!parts.isArray() || parts.isEmpty()) throw new SpecException(source, "$.parts", "expected a non-empty list of parts, each {\"name\": ..., \"grid\"/\"variants\"/\"random\": ...}");
        Set<String> names = new HashSet<>();
        List<Trial> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            String path = "$.parts[" + i + "]";
            JsonNode part = parts.get(i);
            if (!part.isObject()) throw new SpecException(source, path, "expected an object with a name and a grid, variants or random");
            for (Iterator<String> it = part.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!FIELDS.contains(f)) throw new SpecException(source, path + "." + f, "unknown field; allowed: " + new TreeSet<>(FIELDS));
            }
            JsonNode name = part.get("name");
            if (name == null || !name.isTextual() || !name.textValue().matches("[A-Za-z0-9_-]{1,40}")) {
                throw new SpecException(source, path + ".name", name + " is not allowed; expected 1 to 40 letters, digits, _ or -");
            }
            if (!names.add(name.textValue())) throw new SpecException(source, path + ".name", "\"" + name.textValue() + "\" names an earlier part too");
            ObjectNode sub = ((ObjectNode) root).deepCopy();
            sub.remove("parts");
            for (String f : List.of("grid", "variants", "random")) if (part.has(f)) sub.set(f, part.get(f));
            if (part.has("params")) {
                if (!part.get("params").isObject()) throw new SpecException(source, path + ".params", "expected an object of parameter values");
                ObjectNode params = sub.has("params") && sub.get("params").isObject() ? (ObjectNode) sub.get("params") : sub.putObject("params");
                part.get("params").properties().forEach(e -> params.set(e.getKey(), e.getValue()));
            }
            List<Trial> trials;
            try {
                trials = SweepPlanner.plan(source, ExperimentSpec.fromJson(source, sub), schema);
            } catch (SpecException e) {
                // the sub-spec's "$.grid" is this part's grid; its "$.params" may be either: named as the part's when it has them
                String at = e.path().matches("\\$\\.(grid|variants|random)(\\..*|\\[.*)?") ? path + e.path().substring(1) : e.path();
                throw new SpecException(source, at, e.detail());
            }
            for (Trial t : trials) {
                if (out.size() >= SweepPlanner.MAX_TRIALS) {
                    throw new SpecException(source, "$.parts", "more than " + SweepPlanner.MAX_TRIALS + " trials planned over the parts; at most "
                            + SweepPlanner.MAX_TRIALS + " are allowed in one batch");
                }
                Map<String, Object> varied = new LinkedHashMap<>();
                varied.put(KEY, name.textValue());
                varied.putAll(t.varied());
                out.add(new Trial(out.size(), KEY + "=" + name.textValue() + " " + t.label(), Map.copyOf(varied), t.params()));
            }
        }
        return out;
    }
}
