package dev.nnlab.sweep;

import dev.nnlab.spi.InvalidParamException;
import dev.nnlab.spi.ParamSchema;
import dev.nnlab.spi.ParamSpec;
import dev.nnlab.spi.ParamType;
import dev.nnlab.sweep.ExperimentSpec.Distribution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Expands a spec into trials: grid (cartesian product, in the order the spec lists it) x variants
 * x random search trials x seeds. Later sources override earlier ones: params < grid < variants <
 * random < seeds.
 *
 * <p>Every user value is validated at its own JSON path before anything is planned, so
 * {@code "grid":{"batchSize":[16,0]}} fails at {@code $.grid.batchSize[1]}, not somewhere in trial 2.
 * Random search draws from its own seeded generator: the same spec plans the same trials.
 */
public final class SweepPlanner {
    /** A batch larger than this is almost certainly a typo in a grid. */
    public static final int MAX_TRIALS = 10_000;

    private SweepPlanner() {}

    public static List<Trial> plan(String source, ExperimentSpec spec, ParamSchema schema) {
        if (SpecParts.present(spec)) return SpecParts.plan(source, spec, schema);
        validateSources(source, spec, schema);
        // Successive halving: rung 0 trains every trial for the first rung's epochs.
        spec = HalvingPlanner.rungZero(source, spec, schema);
        // Counted before anything is built, in constant memory: a grid of eight 10-value axes is a
        // few hundred bytes of JSON and 10^8 trials.
        long total = count(spec);
        if (total > MAX_TRIALS) {
            throw new SpecException(source, "$", describeCount(spec, total) + " trials planned; at most " + MAX_TRIALS
                    + " are allowed in one batch");
        }
        List<Map<String, Object>> gridPoints = withVariants(cartesian(spec.grid()), spec.variants());
        List<Integer> seeds = spec.seeds().isEmpty() ? List.of() : spec.seeds();
        List<Map<String, Object>> samples = sampleRandom(spec, schema);
        List<Trial> trials = new ArrayList<>();
        for (Map<String, Object> g : gridPoints) {
            for (Map<String, Object> r : samples) {
                for (int s = 0; s < Math.max(1, seeds.size()); s++) {
                    Map<String, Object> varied = new LinkedHashMap<>(g);
                    varied.putAll(r);
                    if (!seeds.isEmpty()) varied.put("seed", seeds.get(s));
                    Map<String, Object> given = new LinkedHashMap<>(spec.params());
                    given.putAll(varied);
                    Map<String, Object> resolved;
                    try {
                        resolved = schema.resolve(given, "$.params");
                    } catch (InvalidParamException e) {
                        throw new SpecException(source, e.path(), e.getMessage().substring(e.path().length() + 2));
                    }
                    trials.add(new Trial(trials.size(), label(spec.name(), trials.size(), varied), Map.copyOf(varied), resolved));
                }
            }
        }
        return trials;
    }

    /** grid axes x variants x random trials x seeds, saturating at {@link Long#MAX_VALUE}. */
    public static long count(ExperimentSpec spec) {
        long total = 1;
        for (List<Object> axis : spec.grid().values()) total = saturatingTimes(total, axis.size());
        total = saturatingTimes(total, Math.max(1, spec.variants().size()));
        total = saturatingTimes(total, spec.random() == null ? 1 : spec.random().trials());
        return saturatingTimes(total, Math.max(1, spec.seeds().size()));
    }

    private static long saturatingTimes(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
    }

    private static String describeCount(ExperimentSpec spec, long total) {
        List<String> factors = new ArrayList<>();
        for (var axis : spec.grid().entrySet()) factors.add(axis.getValue().size() + " " + axis.getKey());
        if (!spec.variants().isEmpty()) factors.add(spec.variants().size() + " variants");
        if (spec.random() != null) factors.add(spec.random().trials() + " random trials");
        if (!spec.seeds().isEmpty()) factors.add(spec.seeds().size() + " seeds");
        String n = total == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : String.valueOf(total);
        return factors.size() > 1 ? n + " (" + String.join(" x ", factors) + ")" : n;
    }

    private static void validateSources(String source, ExperimentSpec spec, ParamSchema schema) {
        for (var e : spec.params().entrySet()) check(source, schema, e.getKey(), e.getValue(), "$.params." + e.getKey());
        for (var e : spec.grid().entrySet()) {
            List<Object> values = e.getValue();
            for (int i = 0; i < values.size(); i++) check(source, schema, e.getKey(), values.get(i), "$.grid." + e.getKey() + "[" + i + "]");
        }
        for (int i = 0; i < spec.variants().size(); i++) {
            for (var e : spec.variants().get(i).entrySet()) check(source, schema, e.getKey(), e.getValue(), "$.variants[" + i + "]." + e.getKey());
        }
        if (spec.random() != null) {
            for (var e : spec.random().params().entrySet()) {
                String path = "$.random.params." + e.getKey();
                ParamSpec ps = known(source, schema, e.getKey(), path);
                if (spec.grid().containsKey(e.getKey())) {
                    throw new SpecException(source, path, "is also in $.grid." + e.getKey() + "; vary a parameter in one place only");
                }
                checkDistribution(source, ps, e.getValue(), path);
            }
        }
        for (int i = 0; i < spec.seeds().size(); i++) check(source, schema, "seed", spec.seeds().get(i), "$.seeds[" + i + "]");
        if (!spec.seeds().isEmpty() && (spec.grid().containsKey("seed") || spec.params().containsKey("seed"))) {
            throw new SpecException(source, "$.seeds", "seeds are given here and as a parameter; use one of them");
        }
    }

    private static ParamSpec known(String source, ParamSchema schema, String key, String path) {
        ParamSpec ps = schema.spec(key);
        if (ps == null) {
            throw new SpecException(source, path, "unknown parameter \"" + key + "\"; this family's parameters are "
                    + schema.specs().stream().map(ParamSpec::name).toList());
        }
        return ps;
    }

    private static void check(String source, ParamSchema schema, String key, Object value, String path) {
        ParamSpec ps = known(source, schema, key, path);
        try {
            ParamSchema.coerce(ps, value, path);
        } catch (InvalidParamException e) {
            throw new SpecException(source, e.path(), e.getMessage().substring(e.path().length() + 2));
        }
    }

    private static void checkDistribution(String source, ParamSpec ps, Distribution d, String path) {
        boolean numeric = ps.type() == ParamType.INT || ps.type() == ParamType.FLOAT;
        switch (d) {
            case Distribution.LogUniform(double lo, double hi) -> {
                requireNumeric(source, ps, numeric, path + ".logUniform");
                check(source, ps, lo, path + ".logUniform[0]");
                check(source, ps, hi, path + ".logUniform[1]");
            }
            case Distribution.Uniform(double lo, double hi) -> {
                requireNumeric(source, ps, numeric, path + ".uniform");
                check(source, ps, lo, path + ".uniform[0]");
                check(source, ps, hi, path + ".uniform[1]");
            }
            case Distribution.IntUniform(int lo, int hi) -> {
                requireNumeric(source, ps, numeric, path + ".intUniform");
                check(source, ps, lo, path + ".intUniform[0]");
                check(source, ps, hi, path + ".intUniform[1]");
            }
            case Distribution.Choice(List<Object> values) -> {
                for (int i = 0; i < values.size(); i++) check(source, ps, values.get(i), path + ".choice[" + i + "]");
            }
        }
    }

    private static void requireNumeric(String source, ParamSpec ps, boolean numeric, String path) {
        if (!numeric) throw new SpecException(source, path, "\"" + ps.name() + "\" is " + ps.type().jsonName() + "; numeric ranges apply to int and float parameters only");
    }

    private static void check(String source, ParamSpec ps, Object v, String path) {
        Object value = ps.type() == ParamType.INT && v instanceof Double d && d == Math.rint(d) ? (Object) d.intValue() : v;
        try {
            ParamSchema.coerce(ps, value, path);
        } catch (InvalidParamException e) {
            throw new SpecException(source, e.path(), e.getMessage().substring(e.path().length() + 2));
        }
    }

    private static List<Map<String, Object>> cartesian(Map<String, List<Object>> grid) {
        List<Map<String, Object>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>());
        for (var axis : grid.entrySet()) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> p : points) {
                for (Object v : axis.getValue()) {
                    Map<String, Object> q = new LinkedHashMap<>(p);
                    q.put(axis.getKey(), v);
                    next.add(q);
                }
            }
            points = next;
        }
        return points;
    }

    private static List<Map<String, Object>> withVariants(List<Map<String, Object>> points, List<Map<String, Object>> variants) {
        if (variants.isEmpty()) return points;
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> p : points) {
            for (Map<String, Object> v : variants) {
                Map<String, Object> q = new LinkedHashMap<>(p);
                q.putAll(v);
                out.add(q);
            }
        }
        return out;
    }

    private static List<Map<String, Object>> sampleRandom(ExperimentSpec spec, ParamSchema schema) {
        if (spec.random() == null) return List.of(Map.of());
        SplittableRandom rng = new SplittableRandom(spec.random().seed());
        List<Map<String, Object>> out = new ArrayList<>();
        for (int t = 0; t < spec.random().trials(); t++) {
            Map<String, Object> sample = new LinkedHashMap<>();
            for (var e : spec.random().params().entrySet()) {
                boolean isInt = schema.spec(e.getKey()).type() == ParamType.INT;
                Object v = switch (e.getValue()) {
                    // Log-uniform: uniform in log space, so 1e-4..1e-3 is as likely as 0.1..1 (Bergstra & Bengio 2012).
                    case Distribution.LogUniform(double lo, double hi) ->
                            Math.exp(Math.log(lo) + rng.nextDouble() * (Math.log(hi) - Math.log(lo)));
                    case Distribution.Uniform(double lo, double hi) -> lo + rng.nextDouble() * (hi - lo);
                    // In long: hi - lo + 1 overflows an int for the widest ranges.
                    case Distribution.IntUniform(int lo, int hi) -> (int) (lo + rng.nextLong((long) hi - lo + 1));
                    case Distribution.Choice(List<Object> values) -> values.get(rng.nextInt(values.size()));
                };
                if (isInt && v instanceof Double d) v = (int) Math.round(d);
                sample.put(e.getKey(), v);
            }
            out.add(sample);
        }
        return out;
    }

    private static String label(String name, int index, Map<String, Object> varied) {
        if (varied.isEmpty()) return name + " #" + (index + 1);
        StringBuilder sb = new StringBuilder();
        for (var e : varied.entrySet()) {
            if (!sb.isEmpty()) sb.append(' ');
            Object v = e.getValue();
            sb.append(e.getKey()).append('=').append(v instanceof Double d ? String.format(Locale.ROOT, "%.4g", d) : v);
        }
        return sb.toString();
    }
}
