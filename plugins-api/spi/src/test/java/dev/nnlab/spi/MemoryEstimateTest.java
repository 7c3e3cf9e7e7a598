package dev.nnlab.spi;

import dev.nnlab.training.CommonSetup;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryEstimateTest {

    static Map<String, Object> params(Object... kv) {
        Map<String, Object> given = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) given.put((String) kv[i], kv[i + 1]);
        return CommonParams.SCHEMA.resolve(given, "$.params");
    }

    @Test
    void the_common_estimate_counts_four_bytes_per_value_and_the_optimizers_state_arrays() {
        // 1,000 values of which 900 trainable, 50 floats per sample, batches of 1,024 (evaluation passes are a batch too)
        MemoryEstimate adam = CommonSetup.memoryEstimate(params("optimizer", "adam", "batchSize", 1024), 1000, 900, 50);
        assertThat(adam.known()).isTrue();
        assertThat(adam.parameters()).isEqualTo(4000);
        assertThat(adam.gradients()).isEqualTo(4000);
        assertThat(adam.optimizerState()).isEqualTo(8000);
        assertThat(adam.activations()).isEqualTo(4L * 1024 * 50);
        assertThat(adam.snapshots()).isEqualTo(3600);
        assertThat(adam.total()).isEqualTo(4000 + 4000 + 8000 + 4L * 1024 * 50 + 3600);

        MemoryEstimate sgd = CommonSetup.memoryEstimate(params("optimizer", "sgd", "batchSize", 16), 1000, 900, 50);
        assertThat(sgd.optimizerState()).isZero();
        assertThat(sgd.activations()).as("evaluation runs at least 64 rows at a time").isEqualTo(4L * 64 * 50);
        assertThat(CommonSetup.memoryEstimate(params("optimizer", "sgd", "batchSize", 100), 1000, 900, 50).activations())
                .as("a batch above the evaluation minimum: evaluation passes are no larger than a training batch")
                .isEqualTo(4L * 100 * 50);
        assertThat(CommonSetup.memoryEstimate(params("optimizer", "momentum"), 1000, 900, 50).optimizerState()).isEqualTo(4000);
    }

    @Test
    void a_model_too_large_for_any_array_is_still_counted_not_overflowed() {
        long values = 65536L * 65536L;
        MemoryEstimate e = CommonSetup.memoryEstimate(params("optimizer", "adam"), values, values, Long.MAX_VALUE / 8);
        assertThat(e.parameters()).isEqualTo(4 * values);
        assertThat(e.activations()).isEqualTo(Long.MAX_VALUE);
        assertThat(e.total()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void sizes_read_in_binary_units_and_the_description_names_every_category() {
        assertThat(MemoryEstimate.bytes(512)).isEqualTo("512 B");
        assertThat(MemoryEstimate.bytes(3 * 1024 * 1024 + 100 * 1024)).isEqualTo("3.1 MiB");
        assertThat(MemoryEstimate.bytes(16L << 30)).isEqualTo("16.0 GiB");
        assertThat(MemoryEstimate.of(1 << 30, 1 << 30, 2L << 30, 1 << 20, 1 << 30).describe())
                .isEqualTo("parameters 1.0 GiB + gradients 1.0 GiB + optimizer state 2.0 GiB + activations 1.0 MiB"
                        + " + snapshots 1.0 GiB = 5.0 GiB");
        assertThat(MemoryEstimate.UNKNOWN.describe()).isEqualTo("unknown");
    }
}
