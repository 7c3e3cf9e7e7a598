package dev.nnlab.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnlab.store.MetricSummary;
import dev.nnlab.store.Param;
import dev.nnlab.store.Provenance;
import dev.nnlab.store.Run;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/** The JSON shapes the read commands print; NaN (a diverged value) becomes {@code null}, which JSON can hold. */
final class JsonOutput {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** For exports, where indentation would triple the size of a million points. */
    static final ObjectMapper COMPACT = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonOutput() {
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode number(double v) {
        return Double.isFinite(v) ? NODES.numberNode(v) : NODES.nullNode();
    }

    static JsonNode time(Instant t) {
        return t == null ? NODES.nullNode() : NODES.textNode(t.toString());
    }

    /** A parameter with its own type: {@code 0.001}, {@code true}, {@code "adam"}, {@code [128, 64]}. */
    static JsonNode param(Param p) {
        return switch (p.type()) {
            case NUMBER -> NODES.numberNode(new BigDecimal(p.value()));
            case BOOLEAN -> NODES.booleanNode(Boolean.parseBoolean(p.value()));
            case STRING -> NODES.textNode(p.value());
            case JSON -> {
                try {
                    yield MAPPER.readTree(p.value());
                } catch (JsonProcessingException e) {
                    yield NODES.textNode(p.value());
                }
            }
        };
    }

    static ObjectNode params(Map<String, Param> params) {
        ObjectNode o = NODES.objectNode();
        params.forEach((k, p) -> o.set(k, param(p)));
        return o;
    }

    static ObjectNode summary(MetricSummary s) {
        ObjectNode o = NODES.objectNode();
        o.set("last", number(s.last()));
        o.put("lastStep", s.lastStep());
        o.set("min", number(s.min()));
        o.set("max", number(s.max()));
        o.put("count", s.count());
        return o;
    }

    static ObjectNode summaries(Map<String, MetricSummary> metrics) {
        ObjectNode o = NODES.objectNode();
        metrics.forEach((k, s) -> o.set(k, summary(s)));
        return o;
    }

    /** The run's identity, status and times (not its parameters or metrics). */
    static ObjectNode run(Run r, String experiment) {
        ObjectNode o = NODES.objectNode();
        o.put("id", r.id());
        o.put("experiment", experiment);
        o.put("name", r.name());
        o.put("status", r.status().name());
        o.put("family", r.family());
        o.set("created", time(r.created()));
        o.set("started", time(r.started()));
        o.set("ended", time(r.ended()));
        o.put("error", r.error());
        return o;
    }

    static ObjectNode provenance(Provenance p) {
        ObjectNode o = NODES.objectNode();
        o.put("pluginId", p.pluginId());
        o.put("pluginVersion", p.pluginVersion());
        o.put("nnlabVersion", p.nnlabVersion());
        o.put("gitCommit", p.gitCommit());
        if (p.seed() == null) o.putNull("seed");
        else o.put("seed", p.seed());
        o.put("dataset", p.dataset());
        o.put("datasetChecksum", p.datasetChecksum());
        return o;
    }
}
