package dev.nnlab.plugins.resnet;

import dev.nnlab.nn.Sequential;
import dev.nnlab.spi.MemoryEstimate;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ResNetMemoryTest {
    private static final ResNet RESNET = new ResNet();

    private static Map<String, Object> params(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return RESNET.params().resolve(m, "$.params");
    }

    @Test
    void the_estimate_counts_exactly_the_parameters_the_built_network_has_for_every_shortcut_and_plain() {
        for (Object[] v : new Object[][] {{20, "a", false}, {20, "b", false}, {20, "a", true}, {8, "b", false}, {32, "a", false}}) {
            Map<String, Object> p = params("depth", v[0], "shortcut", v[1], "plain", v[2], "optimizer", "momentum", "batchSize", 128);
            Sequential net = ResNet.build(new int[] {1, 32, 32}, 10, (Integer) v[0], v[1].equals("b"), (Boolean) v[2]);
            MemoryEstimate e = RESNET.estimateMemory(p, new int[] {1, 32, 32}, 10);
            assertThat(e.known()).isTrue();
            assertThat(e.parameters()).as("values, buffers included, " + java.util.Arrays.toString(v)).isEqualTo(4L * net.params().size());
            assertThat(e.gradients()).isEqualTo(4L * net.params().size());
            assertThat(e.optimizerState()).as("momentum's velocity").isEqualTo(4L * net.params().size());
            assertThat(e.snapshots()).isEqualTo(4L * net.params().trainableCount());
        }
    }

    @Test
    void resnet20_at_batch_128_holds_at_least_every_layer_output_of_the_batch_and_grows_with_the_batch() {
        Sequential net = ResNet.build(new int[] {1, 32, 32}, 10, 20, false, false);
        long outputs = 0;
        for (int i = 0; i < net.layers().size(); i++) outputs += Tensor.sizeOf(net.outputShape(i));
        MemoryEstimate e128 = RESNET.estimateMemory(params("batchSize", 128), new int[] {1, 32, 32}, 10);
        // Evaluation passes are no larger than a training batch, so 128 rows bound both.
        assertThat(e128.activations()).isGreaterThan(4L * 128 * outputs * 2);
        assertThat(e128.activations()).as("not sized for 512-row evaluation passes any more").isLessThan(4L * 512 * outputs * 2);
        MemoryEstimate e4096 = RESNET.estimateMemory(params("batchSize", 4096), new int[] {1, 32, 32}, 10);
        assertThat(e4096.activations()).isGreaterThan(7 * e128.activations());
        // ResNet-20 on 32x32: about 0.54 M floats a sample through forward and backward; at 4,096 rows that is several GiB.
        assertThat(e4096.activations()).isGreaterThan(4L << 30);
    }
}
