package dev.nnlab.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnlab.spi.EarlyStopping;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An experiment batch as written by a user, the same format for {@code ./nnlab run SPEC.json} and
 * {@code POST /api/runs}:
 * <pre>{@code
 * {"name":"momentum","family":"softmax","dataset":"mnist-10k","epochs":5,
 *  "params":{"optimizer":"momentum","lr":0.1,"batchSize":64},
 *  "grid":{"momentum":[0.0,0.9],"batchSize":[16,64,256]},
 *  "variants":[{"init":"gaussian","initStd":0.01},{"init":"xavier"}],
 *  "random":{"trials":8,"seed":0,"params":{"lr":{"logUniform":[1e-4,1.0]}}},
 *  "seeds":[1,2,3], "earlyStopping":{"metric":"val_loss","patience":3}}
 * }</pre>
 * {@code variants} are explicit bundles of values that belong together (a grid cannot pair
 * {@code init=gaussian} with two stds and {@code init=xavier} with none); they multiply with the
 * grid like one more axis. Parsing checks the document's shape and types; {@link SweepPlanner} checks values against the
 * family's schema. Every error names the JSON path.
 */
public record ExperimentSpec(String name, String family, String dataset, String description,
                             Map<String, Object> params, Map<String, List<Object>> grid,
                             List<Map<String, Object>> variants, RandomSearch random, List<Integer> seeds, EarlyStopping earlyStopping, JsonNode document) {

    /** {@code trials} samples, each drawing every parameter of {@code params} independently. */
    public record RandomSearch(int trials, long seed, Map<String, Distribution> params) {}

    /** One sampling distribution of random search. */
    public sealed interface Distribution {
        record LogUniform(double lo, double hi) implements Distribution {}
        record Uniform(double lo, double hi) implements Distribution {}
        record IntUniform(int lo, int hi) implements Distribution {}
        record Choice(List<Object> values) implements Distribution {}
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TOP_LEVEL = Set.of("name", "family", "dataset", "description", "epochs", "params",
            "grid", "variants", "random", "seeds", "earlyStopping", "lesson", "abortExploding", "halving", "parts");

    public static ExperimentSpec parse(String source, String text) {
        JsonNode root;
        try {
            root = StrictJson.read(text);
        } catch (StrictJson.MalformedJsonException e) {
            throw new SpecException(source, "$", "malformed JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) throw new SpecException(source, "$", "expected a JSON object, got " + kind(root));
        return fromJson(source, (ObjectNode) root);
    }

    static ExperimentSpec fromJson(String source, ObjectNode root) {
        P p = new P(source);
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!TOP_LEVEL.contains(f)) p.fail("$." + f, "unknown field; allowed: " + new java.util.TreeSet<>(TOP_LEVEL));
        }
        String name = p.string(root, "name", true);
        if (name.isBlank() || name.length() > 200) p.fail("$.name", "\"" + name + "\" must be 1 to 200 characters");
        if (name.chars().anyMatch(Character::isISOControl)) p.fail("$.name", "must not hold control characters (line breaks, tabs, NUL)");
        String family = p.string(root, "family", true);
        String dataset = p.string(root, "dataset", true);
        String description = root.has("description") ? p.string(root, "description", false) : "";

        Map<String, Object> params = new LinkedHashMap<>();
        if (root.has("params")) {
            JsonNode node = p.object(root.get("params"), "$.params");
            node.fields().forEachRemaining(e -> params.put(e.getKey(), p.scalarOrList(e.getValue(), "$.params." + e.getKey())));
        }
        if (root.has("epochs")) {
            // A top-level "epochs" is shorthand for params.epochs, as in the examples.
            if (params.containsKey("epochs")) p.fail("$.epochs", "given both here and in $.params.epochs");
            params.put("epochs", p.scalarOrList(root.get("epochs"), "$.epochs"));
        }

        Map<String, List<Object>> grid = new LinkedHashMap<>();
        if (root.has("grid")) {
            JsonNode node = p.object(root.get("grid"), "$.grid");
            node.fields().forEachRemaining(e -> {
                String path = "$.grid." + e.getKey();
                if (!e.getValue().isArray()) p.fail(path, "expected a list of values, got " + kind(e.getValue()));
                if (e.getValue().isEmpty()) p.fail(path, "an empty list would make zero trials; give at least one value");
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < e.getValue().size(); i++) values.add(p.scalarOrList(e.getValue().get(i), path + "[" + i + "]"));
                grid.put(e.getKey(), values);
            });
            if (grid.isEmpty()) p.fail("$.grid", "an empty grid; give at least one parameter with values, or leave out \"grid\"");
        }

        List<Map<String, Object>> variants = new ArrayList<>();
        if (root.has("variants")) {
            JsonNode v = root.get("variants");
            if (!v.isArray() || v.isEmpty()) p.fail("$.variants", "expected a non-empty list of objects, got " + kind(v));
            for (int i = 0; i < v.size(); i++) {
                String path = "$.variants[" + i + "]";
                JsonNode one = p.object(v.get(i), path);
                Map<String, Object> values = new LinkedHashMap<>();
                one.fields().forEachRemaining(e -> {
                    if (grid.containsKey(e.getKey())) p.fail(path + "." + e.getKey(), "is also in $.grid; vary a parameter in one place only");
                    values.put(e.getKey(), p.scalarOrList(e.getValue(), path + "." + e.getKey()));
                });
                variants.add(values);
            }
        }

        RandomSearch random = root.has("random") ? parseRandom(p, p.object(root.get("random"), "$.random")) : null;

        List<Integer> seeds = new ArrayList<>();
        if (root.has("seeds")) {
            JsonNode s = root.get("seeds");
            if (!s.isArray() || s.isEmpty()) p.fail("$.seeds", "expected a non-empty list of integers, got " + s);
            for (int i = 0; i < s.size(); i++) {
                if (!s.get(i).canConvertToInt() || !s.get(i).isIntegralNumber()) p.fail("$.seeds[" + i + "]", s.get(i) + " is not an integer");
                seeds.add(s.get(i).intValue());
            }
        }

        EarlyStopping early = null;
        if (root.has("earlyStopping")) {
            JsonNode e = p.object(root.get("earlyStopping"), "$.earlyStopping");
            String metric = p.string(e, "metric", true);
            if (!metric.matches("(train|val)_(loss|acc)")) {
                p.fail("$.earlyStopping.metric", "\"" + metric + "\" is not allowed; expected one of val_loss, val_acc, train_loss, train_acc");
            }
            int patience = e.has("patience") ? p.intIn(e.get("patience"), "$.earlyStopping.patience", 1, 100000) : 3;
            double minDelta = e.has("minDelta") ? p.number(e.get("minDelta"), "$.earlyStopping.minDelta") : 0.0;
            if (minDelta < 0) p.fail("$.earlyStopping.minDelta", minDelta + " must be >= 0");
            early = new EarlyStopping(metric, patience, minDelta);
        }
        SweepOptions.parse(source, root);
        return new ExperimentSpec(name, family, dataset, description, params, grid, variants, random, seeds, early, root);
    }

    /** This spec with {@code key} set in {@code params} (halving plans each rung with its own epochs). */
    public ExperimentSpec withParam(String key, Object value) {
        Map<String, Object> p = new LinkedHashMap<>(params);
        p.put(key, value);
        return new ExperimentSpec(name, family, dataset, description, p, grid, variants, random, seeds, earlyStopping, document);
    }

    private static RandomSearch parseRandom(P p, JsonNode r) {
        int trials = p.intIn(r.get("trials"), "$.random.trials", 1, 100000);
        long seed = r.has("seed") ? p.intIn(r.get("seed"), "$.random.seed", Integer.MIN_VALUE, Integer.MAX_VALUE) : 0;
        JsonNode params = p.object(r.get("params"), "$.random.params");
        if (params.isEmpty()) p.fail("$.random.params", "no parameters to sample; give at least one");
        Map<String, Distribution> dists = new LinkedHashMap<>();
        params.fields().forEachRemaining(e -> dists.put(e.getKey(), parseDistribution(p, e.getValue(), "$.random.params." + e.getKey())));
        return new RandomSearch(trials, seed, dists);
    }

    private static Distribution parseDistribution(P p, JsonNode d, String path) {
        p.object(d, path);
        if (d.size() != 1) p.fail(path, "expected exactly one of logUniform, uniform, intUniform, choice");
        String kind = d.fieldNames().next();
        JsonNode v = d.get(kind);
        String vpath = path + "." + kind;
        switch (kind) {
            case "logUniform", "uniform", "intUniform" -> {
                if (!v.isArray() || v.size() != 2 || !v.get(0).isNumber() || !v.get(1).isNumber()) {
                    p.fail(vpath, v + " is not allowed; expected [low, high] numbers");
                }
                double lo = p.finite(v.get(0), vpath + "[0]"), hi = p.finite(v.get(1), vpath + "[1]");
                if (!(lo < hi)) p.fail(vpath, v + " is not allowed; expected low < high");
                if (kind.equals("logUniform")) {
                    if (lo <= 0) p.fail(vpath, v + " is not allowed; a log-uniform range needs low > 0");
                    return new Distribution.LogUniform(lo, hi);
                }
                if (kind.equals("intUniform")) {
                    if (lo != Math.rint(lo) || hi != Math.rint(hi)) p.fail(vpath, v + " is not allowed; expected integers");
                    if (lo < Integer.MIN_VALUE || hi > Integer.MAX_VALUE) {
                        p.fail(vpath, v + " is not allowed; expected integers from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
                    }
                    return new Distribution.IntUniform((int) lo, (int) hi);
                }
                return new Distribution.Uniform(lo, hi);
            }
            case "choice" -> {
                if (!v.isArray() || v.isEmpty()) p.fail(vpath, v + " is not allowed; expected a non-empty list");
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < v.size(); i++) values.add(p.scalarOrList(v.get(i), vpath + "[" + i + "]"));
                return new Distribution.Choice(values);
            }
            default -> {
                p.fail(path + "." + kind, "unknown distribution; allowed: logUniform, uniform, intUniform, choice");
                return null;
            }
        }
    }

    static String kind(JsonNode n) {
        if (n == null || n.isMissingNode()) return "nothing";
        if (n.isNull()) return "null";
        if (n.isObject()) return "an object";
        if (n.isArray()) return "a list";
        if (n.isTextual()) return "the string \"" + n.textValue() + "\"";
        return n.toString();
    }

    /** Parsing helpers that fail with the source and path. */
    private record P(String source) {
        void fail(String path, String message) { throw new SpecException(source, path, message); }

        String string(JsonNode parent, String field, boolean required) {
            JsonNode v = parent.get(field);
            String path = "$." + field;
            if (v == null) {
                if (required) fail(path, "missing; required");
                return "";
            }
            if (!v.isTextual()) fail(path, kind(v) + " is not allowed; expected a string");
            return v.textValue();
        }

        JsonNode object(JsonNode v, String path) {
            if (v == null || !v.isObject()) fail(path, "expected an object, got " + kind(v));
            return v;
        }

        double number(JsonNode v, String path) {
            if (v == null || !v.isNumber()) fail(path, kind(v) + " is not allowed; expected a number");
            return finite(v, path);
        }

        /** A number a double can hold: {@code 1e999} is not infinity here, it is a mistake. */
        double finite(JsonNode v, String path) {
            double d = v.doubleValue();
            if (!Double.isFinite(d)) fail(path, v.asText() + " is not allowed; expected a finite number");
            return d;
        }

        int intIn(JsonNode v, String path, int lo, int hi) {
            if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) fail(path, kind(v) + " is not allowed; expected an integer");
            int i = v.intValue();
            if (i < lo || i > hi) fail(path, i + " is not allowed; expected an integer from " + lo + " to " + hi);
            return i;
        }

        /** JSON scalars and lists of scalars become Number/Boolean/String/List; objects are refused. */
        Object scalarOrList(JsonNode v, String path) {
            if (v.isIntegralNumber()) {
                if (!v.canConvertToLong()) fail(path, "a number of " + v.asText().length() + " digits is not allowed; expected a value within the parameter's range");
                return v.canConvertToInt() ? (Object) v.intValue() : (Object) v.longValue();
            }
            if (v.isNumber()) return finite(v, path);
            if (v.isBoolean()) return v.booleanValue();
            if (v.isTextual()) return v.textValue();
            if (v.isArray()) {
                List<Object> list = new ArrayList<>();
                for (int i = 0; i < v.size(); i++) list.add(scalarOrList(v.get(i), path + "[" + i + "]"));
                return list;
            }
            fail(path, kind(v) + " is not allowed; expected a number, string, boolean or list");
            return null;
        }
    }
}
