package dev.nnlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class WorkloadResultTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void result_line_is_one_json_object_with_the_documented_fields_in_order() throws Exception {
        String line = new WorkloadResult("W1", "nnlab", 2, 41000.04, 0.92036).toJson();
        assertThat(line).doesNotContain("\n");
        JsonNode n = JSON.readTree(line);
        assertThat(fields(n)).containsExactly("id", "system", "threads", "throughput", "unit", "quality", "quality_unit");
        assertThat(n.get("id").asText()).isEqualTo("W1");
        assertThat(n.get("system").asText()).isEqualTo("nnlab");
        assertThat(n.get("threads").isInt()).isTrue();
        assertThat(n.get("threads").asInt()).isEqualTo(2);
        assertThat(n.get("throughput").asDouble()).isEqualTo(41000.0);
        assertThat(n.get("unit").asText()).isEqualTo("samples/s");
        assertThat(n.get("quality").asDouble()).isEqualTo(0.9204);
        assertThat(n.get("quality_unit").asText()).isEqualTo("test_acc");
    }

    @Test
    void numbers_use_a_decimal_point_whatever_the_default_locale() {
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.GERMANY);
            assertThat(new WorkloadResult("W2", "nnlab", 2, 1234.5, 0.5).toJson()).contains("\"throughput\":1234.5");
        } finally {
            java.util.Locale.setDefault(before);
        }
    }

    @Test
    void comparison_line_divides_throughputs_and_subtracts_accuracies_nnlab_first() throws Exception {
        WorkloadResult ours = new WorkloadResult("W1", "nnlab", 2, 50000, 0.9204);
        WorkloadResult torch = new WorkloadResult("W1", "pytorch", 2, 20000, 0.9195);
        JsonNode n = JSON.readTree(ours.comparisonJson(torch));
        assertThat(fields(n)).containsExactly("id", "ratio_throughput", "quality_delta");
        assertThat(n.get("id").asText()).isEqualTo("W1");
        assertThat(n.get("ratio_throughput").asDouble()).isEqualTo(2.5);
        assertThat(n.get("quality_delta").asDouble()).isCloseTo(0.0009, within(1e-12));
    }

    private static List<String> fields(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void throughput_is_samples_times_epochs_over_seconds() {
        // 60,000 samples x 5 epochs in 12.5 s.
        assertThat(WorkloadResult.throughput(60_000, 5, 12_500_000_000L)).isCloseTo(24_000.0, within(1e-9));
    }
}
