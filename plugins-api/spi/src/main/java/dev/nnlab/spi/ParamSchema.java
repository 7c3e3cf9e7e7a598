package dev.nnlab.spi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ordered, typed parameters of a model family. {@link #resolve} turns user values (as parsed
 * from JSON: Number, Boolean, String, List) into a complete, typed, validated map with every
 * default filled in: the "fully resolved configuration" a run records as provenance.
 *
 * <p>Stability: stable.
 */
public final class ParamSchema {
    /** The longest {@link ParamType#STRING} value: a layer stack of a few dozen layers fits; a pasted file does not. */
    public static final int MAX_STRING = 500;

    private final Map<String, ParamSpec> specs = new LinkedHashMap<>();

    public ParamSchema(Collection<ParamSpec> specs) {
        for (ParamSpec s : specs) {
            if (this.specs.put(s.name(), s) != null) throw new IllegalArgumentException("duplicate parameter " + s.name());
        }
    }

    /** This schema followed by {@code more}; a spec in {@code more} replaces one of the same name (a family's own default). */
    public ParamSchema with(Collection<ParamSpec> more) {
        Map<String, ParamSpec> merged = new LinkedHashMap<>(specs);
        for (ParamSpec s : more) merged.put(s.name(), s);
        return new ParamSchema(merged.values());
    }

    public List<ParamSpec> specs() { return List.copyOf(specs.values()); }

    public ParamSpec spec(String name) { return specs.get(name); }

    public boolean has(String name) { return specs.containsKey(name); }

    /**
     * Validates {@code given} and fills in defaults. {@code pathPrefix} locates the values in the
     * user's document for messages, e.g. {@code "$.params"}.
     */
    public Map<String, Object> resolve(Map<String, ?> given, String pathPrefix) {
        for (String key : given.keySet()) {
            if (!specs.containsKey(key)) {
                throw new InvalidParamException(pathPrefix + "." + key, key, "a parameter of this family: " + specs.keySet());
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (ParamSpec s : specs.values()) {
            Object v = given.containsKey(s.name()) ? given.get(s.name()) : s.defaultValue();
            out.put(s.name(), coerce(s, v, pathPrefix + "." + s.name()));
        }
        return Collections.unmodifiableMap(out);
    }

    /** Validates and converts one value to the spec's Java type: Integer, Double, Boolean, String or List&lt;Integer&gt;. */
    public static Object coerce(ParamSpec s, Object v, String path) {
        if (v == null) throw new InvalidParamException(path, null, s.allowed());
        return switch (s.type()) {
            case BOOL -> {
                if (v instanceof Boolean b) yield b;
                throw new InvalidParamException(path, v, s.allowed());
            }
            case CHOICE -> {
                if (v instanceof String str && s.choices().contains(str)) yield str;
                throw new InvalidParamException(path, v, s.allowed());
            }
            case STRING -> {
                if (v instanceof String str && !str.isBlank() && str.length() <= MAX_STRING && str.indexOf('\n') < 0
                        && str.indexOf('\r') < 0) yield str.strip();
                throw new InvalidParamException(path, v, s.allowed());
            }
            case INT -> {
                int i = asInt(v, s, path);
                checkRange(s, i, v, path);
                yield i;
            }
            case FLOAT -> {
                if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                    throw new InvalidParamException(path, v, s.allowed());
                }
                checkRange(s, n.doubleValue(), v, path);
                yield n.doubleValue();
            }
            case INT_LIST -> {
                if (!(v instanceof List<?> list)) throw new InvalidParamException(path, v, s.allowed());
                List<Integer> ints = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    int x = asInt(list.get(i), s, path + "[" + i + "]");
                    checkRange(s, x, list.get(i), path + "[" + i + "]");
                    ints.add(x);
                }
                yield List.copyOf(ints);
            }
        };
    }

    private static int asInt(Object v, ParamSpec s, String path) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            long l = ((Number) v).longValue();
            if (l == (int) l) return (int) l;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < Integer.MAX_VALUE) {
            return (int) n.doubleValue();
        }
        throw new InvalidParamException(path, v, s.allowed());
    }

    private static void checkRange(ParamSpec s, double x, Object original, String path) {
        if (!s.range().contains(x)) throw new InvalidParamException(path, original, s.allowed());
    }
}
