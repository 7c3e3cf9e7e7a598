package dev.nnlab.store;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One hyperparameter of a run.
 *
 * @param key    a dotted path, e.g. {@code optimizer.lr}
 * @param value  the value as text ({@code "0.001"}, {@code "true"}, {@code "adam"}, {@code "[128,64]"})
 * @param type   what the text holds
 * @param number the value when {@code type} is {@link Type#NUMBER}, else NaN
 */
public record Param(String key, String value, Type type, double number) {

    public enum Type { NUMBER, STRING, BOOLEAN, JSON }

    /** Converts a Java or JSON value: numbers, booleans and strings keep their type, the rest is JSON. */
    public static Param of(String key, Object value) {
        if (value instanceof JsonNode node) {
            if (node.isNumber()) return of(key, node.numberValue());
            if (node.isBoolean()) return of(key, node.booleanValue());
            if (node.isTextual()) return of(key, node.textValue());
            return new Param(key, node.toString(), Type.JSON, Double.NaN);
        }
        return switch (value) {
            case Number n -> new Param(key, numberText(n), Type.NUMBER, n.doubleValue());
            case Boolean b -> new Param(key, b.toString(), Type.BOOLEAN, Double.NaN);
            case CharSequence s -> new Param(key, s.toString(), Type.STRING, Double.NaN);
            case Enum<?> e -> new Param(key, e.name(), Type.STRING, Double.NaN);
            case null -> new Param(key, "null", Type.JSON, Double.NaN);
            default -> new Param(key, Json.write(value), Type.JSON, Double.NaN);
        };
    }

    /**
     * The leaves of a resolved configuration as dotted keys: {@code {"optimizer": {"lr": 0.1}}}
     * gives {@code optimizer.lr -> 0.1}. Arrays stay whole (one JSON value), since
     * {@code hidden = [128, 64]} is one choice, not two.
     */
    public static Map<String, JsonNode> flatten(JsonNode config) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (config != null) flatten("", config, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> out) {
        if (!node.isObject()) {
            out.put(prefix, node);
            return;
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), out);
        }
    }

    /** {@code 0.001} rather than {@code 1.0E-3}, {@code 3} rather than {@code 3.0}; huge or tiny keep the exponent. */
    static String numberText(Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (!Double.isFinite(d)) return Double.toString(d);
            double a = Math.abs(d);
            if (a != 0 && (a < 1e-6 || a >= 1e15)) return Double.toString(d);
            // Float through its own shortest text, or 0.1f would print as 0.10000000149011612.
            BigDecimal exact = n instanceof Float f ? new BigDecimal(Float.toString(f)) : BigDecimal.valueOf(d);
            return exact.stripTrailingZeros().toPlainString();
        }
        if (n instanceof BigDecimal b) return b.stripTrailingZeros().toPlainString();
        return n.toString();
    }
}
