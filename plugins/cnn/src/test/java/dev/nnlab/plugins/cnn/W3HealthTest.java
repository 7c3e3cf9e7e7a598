package dev.nnlab.plugins.cnn;

import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.loss.Losses;
import dev.nnlab.spi.RecordingSink;
import dev.nnlab.spi.RunSink;
import dev.nnlab.spi.TrainResult;
import dev.nnlab.spi.TrainingJob;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;
import dev.nnlab.training.SupervisedTraining;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dead-ReLU rule on W3's own network (the {@code w3} preset, He init, Adam 1e-3, batches of 64) and
 * 2,000 shipped digits. Healthy, it loses about a third of its fc128 units in its first steps (PyTorch's W3
 * does too: 33% of them fire on none of 7,000 training digits after 2 epochs, 35% in nnlab) and still
 * learns the task: that is information, not a warning. With the layer's biases driven far negative
 * every unit is dead and the run warns.
 */
class W3HealthTest {

    static TrainingJob w3(int seed) throws Exception {
        return ConvNetTest.job(2000, ConvNetTest.p("layers", "w3", "optimizer", "adam", "lr", 0.001, "batchSize", 64,
                "epochs", 1, "logEvery", 10, "seed", seed));
    }

    static double maxStat(RecordingSink sink, String layer, String stat) {
        return sink.layerStats().stream().filter(s -> s.layer().equals(layer) && s.stat().equals(stat))
                .mapToDouble(RecordingSink.Stat::value).max().orElseThrow(() -> new AssertionError("no " + layer + " " + stat));
    }

    @Test
    void a_healthy_w3_run_with_a_third_of_its_fc_units_dead_warns_of_nothing() throws Exception {
        RecordingSink sink = new RecordingSink();
        TrainResult r = ConvNetTest.CNN.train(w3(1), sink);
        assertThat(r.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        assertThat(sink.last("test_acc")).isGreaterThan(0.9);
        assertThat(maxStat(sink, "relu7", "dead_fraction")).as("fc128 units that fired on no training digit of a window")
                .isGreaterThan(0.2).isLessThan(0.5);
        assertThat(sink.events()).as("events").noneMatch(e -> e.severity() != RunSink.Severity.INFO);
        assertThat(sink.events()).filteredOn(e -> e.code().equals("dead_relu_20")).extracting(RecordingSink.Event::message)
                .anySatisfy(m -> assertThat(m).contains("relu7"));
    }

    @Test
    void the_same_net_with_its_fc128_biases_driven_negative_warns_that_most_of_the_layer_is_dead() throws Exception {
        TrainingJob job = w3(1);
        Sequential model = LayerStack.parse("w3").build(new int[] {1, 28, 28}, 10).initialize(new Rng(1));
        Tensor bias = model.params().value(model.name(6) + ".bias");
        bias.fill(-100f);
        RecordingSink sink = new RecordingSink();
        TrainResult r = SupervisedTraining.fit(job, sink, model, Losses.create("cross_entropy"), Math.log(10), "ln(10)");
        assertThat(r.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        assertThat(maxStat(sink, "relu7", "dead_fraction")).isEqualTo(1.0);
        assertThat(sink.events()).filteredOn(e -> e.code().equals("dead_relu_50")).singleElement().satisfies(e -> {
            assertThat(e.severity()).isEqualTo(RunSink.Severity.WARNING);
            assertThat(e.message()).contains("100% of the units of relu7");
        });
    }
}
