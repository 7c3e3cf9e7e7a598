package dev.nnlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the result object every side prints (the peer scripts through {@code bench_common.measured},
 * nnlab's child JVM through {@link NnlabWorkloadMain}): throughput, unit, quality, quality_unit,
 * wall_s, cpu_self_s, cpu_busy_s, peak_rss_kib, versions, extra, and for peers the mapped
 * libraries with the BLAS configuration strings.
 */
final class SideResult {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SideResult() {}

    static Measurement parse(JsonNode r, Workload w, String system, String variant, int round) {
        for (String field : new String[] {"throughput", "unit", "wall_s", "cpu_self_s", "cpu_busy_s"}) {
            if (!r.hasNonNull(field)) {
                return failed(w, system, variant, round, "its result lacks \"" + field + "\": " + r);
            }
        }
        CpuWindow.Usage usage = new CpuWindow.Usage(r.get("wall_s").asDouble(), r.get("cpu_self_s").asDouble(),
                r.get("cpu_busy_s").asDouble());
        LoadedBlas blas = r.has("libraries") ? blas(r) : null;
        Double quality = r.hasNonNull("quality") ? r.get("quality").asDouble() : null;
        Measurement m = new Measurement(w.id(), system, variant, round, Measurement.Status.OK, null,
                r.get("throughput").asDouble(), r.get("unit").asText(), quality,
                r.hasNonNull("quality_unit") ? r.get("quality_unit").asText() : null, usage,
                r.path("peak_rss_kib").asLong(-1), blas, map(r.get("versions")), map(r.get("extra")), null);
        if (blas != null && blas.refusal() != null) {
            return Measurement.notMeasured(w.id(), system, variant, round, Measurement.Status.REFUSED, blas.refusal(),
                    m.versions());
        }
        return m;
    }

    static LoadedBlas blas(JsonNode r) {
        StringBuilder maps = new StringBuilder();
        for (JsonNode lib : r.path("libraries")) maps.append(lib.asText()).append('\n');
        Map<String, String> configs = new HashMap<>();
        r.path("blas_configs").properties().forEach(e -> configs.put(e.getKey(), e.getValue().asText()));
        return LoadedBlas.detect(maps.toString(), configs);
    }

    static Measurement failed(Workload w, String system, String variant, int round, String why) {
        return Measurement.notMeasured(w.id(), system, variant, round, Measurement.Status.FAILED, why, null);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(JsonNode node) {
        if (node == null || !node.isObject()) return Map.of();
        return JSON.convertValue(node, LinkedHashMap.class);
    }
}
