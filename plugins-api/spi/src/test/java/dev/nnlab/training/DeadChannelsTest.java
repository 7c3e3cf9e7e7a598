package dev.nnlab.training;

import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.init.He;
import dev.nnlab.nn.layers.Conv2d;
import dev.nnlab.nn.layers.Dense;
import dev.nnlab.nn.layers.Flatten;
import dev.nnlab.nn.layers.ReLU;
import dev.nnlab.nn.layers.WindowGeometry;
import dev.nnlab.spi.RecordingSink;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A conv ReLU's unit is a channel: dead only if it output 0 at every position of every sample. */
class DeadChannelsTest {

    @Test
    void a_channel_that_fires_at_one_position_of_one_sample_is_alive_and_one_that_never_fires_is_listed() {
        Sequential net = new Sequential(new int[] {1, 5, 5}, List.of(new Conv2d(4, new WindowGeometry(3, 1, 1), true, new He(), false),
                new ReLU(), new Flatten(), new Dense(3), new ReLU(), new Dense(2)));
        net.initialize(new Rng(1));
        float[] v = net.params().values;
        var w = net.params().entry("conv0.weight");
        var b = net.params().entry("conv0.bias");
        java.util.Arrays.fill(v, w.offset(), w.offset() + w.size(), 0f);
        // Channels 0 and 2 never fire (bias -1, weights 0); channel 1 always fires; channel 3 copies the centre
        // pixel minus 0.5, which only sample 1's single bright pixel exceeds.
        float[] bias = {-1f, 1f, -1f, -0.5f};
        System.arraycopy(bias, 0, v, b.offset(), 4);
        v[w.offset() + 3 * 9 + 4] = 1f;
        float[] x = new float[2 * 25];
        x[25 + 12] = 1f;
        LayerMonitor monitor = new LayerMonitor(net, 1);
        monitor.probe(Tensor.of(x, 2, 1, 5, 5));
        List<LayerMonitor.DeadUnits> dead = monitor.deadUnitsOfLastProbe();
        assertThat(dead.get(0).layer()).isEqualTo("relu1");
        assertThat(dead.get(0).channels()).isTrue();
        assertThat(dead.get(0).units()).isEqualTo(4);
        assertThat(dead.get(0).dead()).containsExactly(0, 2);
        assertThat(dead.get(1).layer()).isEqualTo("relu4");
        assertThat(dead.get(1).channels()).isFalse();
        assertThat(dead.get(1).units()).isEqualTo(3);

        RecordingSink sink = new RecordingSink();
        DeadUnitsArtifact.report(sink, 2, dead);
        String json = new String(sink.artifact(DeadUnitsArtifact.NAME).bytes(), StandardCharsets.UTF_8);
        assertThat(json).contains("{\"layer\":\"relu1\",\"unit\":\"channel\",\"units\":4,\"deadCount\":2,\"deadFraction\":0.5,\"dead\":[0,2]}")
                .contains("\"layer\":\"relu4\",\"unit\":\"feature\",\"units\":3");
        assertThat(sink.artifact(DeadUnitsArtifact.NAME).mediaType()).isEqualTo("application/json");
    }
}
