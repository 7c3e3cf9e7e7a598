package dev.nnlab.training;

import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.layers.Dense;
import dev.nnlab.nn.layers.ReLU;
import dev.nnlab.nn.layers.Residual;
import dev.nnlab.nn.loss.SoftmaxCrossEntropy;
import dev.nnlab.optim.Sgd;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The monitor sees into containers: a residual block's inner layers are measured under their dotted names. */
class NestedLayerMonitorTest {

    @Test
    void a_residual_blocks_inner_layers_are_measured_and_named_and_the_block_adds_no_duplicate() {
        Sequential model = new Sequential(new int[] {3}, new Dense(4), new Residual(new Dense(4), new ReLU()), new Dense(2))
                .initialize(new Rng(1));
        Tensor x = Tensor.zeros(6, 3);
        Rng rng = new Rng(2);
        for (int i = 0; i < x.size(); i++) x.data[i] = (float) rng.nextGaussian();
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        loss.forward(model.forward(x, true), new int[] {0, 1, 0, 1, 1, 0});
        model.params().zeroGrad();
        model.backward(loss.backward());
        LayerMonitor monitor = new LayerMonitor(model, 1);
        monitor.observeBatch();
        List<LayerStat> stats = monitor.measureStep(new Sgd(model.params(), 0.1f));

        assertThat(stats).extracting(LayerStat::layer).containsSubsequence("dense0", "res1.dense0", "res1.relu1", "dense2");
        assertThat(stats).filteredOn(s -> s.layer().equals("res1.relu1")).extracting(LayerStat::stat)
                .contains(LayerStat.DEAD_FRACTION, LayerStat.ACT_MEAN, LayerStat.ACT_STD);
        assertThat(stats).filteredOn(s -> s.layer().equals("res1.dense0")).extracting(LayerStat::stat)
                .contains(LayerStat.GRAD_NORM, LayerStat.WEIGHT_NORM, LayerStat.UPDATE_RATIO);
        // The block's parameters are its children's: reported once, under the child's name.
        assertThat(stats).noneMatch(s -> s.layer().equals("res1"));
        double innerGrad = stats.stream().filter(s -> s.layer().equals("res1.dense0") && s.stat().equals(LayerStat.GRAD_NORM))
                .findFirst().orElseThrow().value();
        float[] g = model.params().grad("res1.dense0.weight").toArray();
        float[] gb = model.params().grad("res1.dense0.bias").toArray();
        double sq = 0;
        for (float v : g) sq += (double) v * v;
        for (float v : gb) sq += (double) v * v;
        assertThat(innerGrad).isEqualTo(Math.sqrt(sq), org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void the_validation_probe_reaches_a_relu_inside_a_block() {
        Sequential model = new Sequential(new int[] {3}, new Residual(new Dense(3), new ReLU()), new Dense(2)).initialize(new Rng(1));
        Tensor x = Tensor.zeros(20, 3);
        Rng rng = new Rng(3);
        for (int i = 0; i < x.size(); i++) x.data[i] = (float) rng.nextGaussian();
        assertThat(new LayerMonitor(model, 1).probe(x)).singleElement().satisfies(s -> {
            assertThat(s.layer()).isEqualTo("res0.relu1");
            assertThat(s.stat()).isEqualTo(LayerStat.DEAD_FRACTION_PROBE);
        });
    }
}
