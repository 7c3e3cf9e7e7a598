package dev.nnlab.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnlab.store.MetricSummary;
import dev.nnlab.store.Param;
import dev.nnlab.store.Run;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run as lists show it: identity, status, times (epoch ms, null until they happen), its
 * parameters with their own JSON types, and the summary of each metric (never raw points). The
 * one mapping from the store's records to this shape; the HTTP API's {@code RunRow} is exactly this.
 */
public record RunRow(long id, String name, String experiment, long experimentId, String status, String family,
                     Long created, Long started, Long ended, String error, Map<String, Object> params,
                     Map<String, MetricStats> metrics) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One metric's digest; NaN where there is no number (every value NaN, a diverged last value). */
    public record MetricStats(double last, double min, double max, long lastStep, long count) {
        static MetricStats of(MetricSummary s) {
            return new MetricStats(s.last(), s.min(), s.max(), s.lastStep(), s.count());
        }
    }

    public static RunRow of(Run run, String experiment, List<Param> params, List<MetricSummary> metrics) {
        Map<String, Object> p = new LinkedHashMap<>();
        for (Param param : params) p.put(param.key(), value(param));
        Map<String, MetricStats> m = new LinkedHashMap<>();
        for (MetricSummary s : metrics) m.put(s.key(), MetricStats.of(s));
        return new RunRow(run.id(), run.name(), experiment, run.experimentId(), run.status().name(), run.family(),
                millis(run.created()), millis(run.started()), millis(run.ended()), run.error(), p, m);
    }

    /** A parameter's value as a terminal shows it: text as is, anything else as its JSON; "" when the run lacks it. */
    public String paramText(String key) {
        Object v = params.get(key);
        if (v == null) return "";
        if (v instanceof String str) return str;
        // 0.0001 as written, not 1.0E-4.
        if (v instanceof Double d && Math.abs(d) >= 1e-6 && Math.abs(d) < 1e9) {
            return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        try {
            return JSON.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            return String.valueOf(v);
        }
    }

    /** A parameter with its own type: {@code 0.001}, {@code 64}, {@code true}, {@code "adam"}, {@code [128, 64]}. */
    public static Object value(Param p) {
        return switch (p.type()) {
            case NUMBER -> integral(p.value()) ? (Object) Long.parseLong(p.value()) : (Object) p.number();
            case BOOLEAN -> Boolean.parseBoolean(p.value());
            case STRING -> p.value();
            case JSON -> {
                try {
                    yield JSON.readTree(p.value());
                } catch (JsonProcessingException e) {
                    yield p.value();
                }
            }
        };
    }

    private static boolean integral(String text) {
        if (text.isEmpty() || text.equals("-") || text.length() > 18) return false;
        for (int i = text.charAt(0) == '-' ? 1 : 0; i < text.length(); i++) {
            if (!Character.isDigit(text.charAt(i))) return false;
        }
        return true;
    }

    static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }
}
