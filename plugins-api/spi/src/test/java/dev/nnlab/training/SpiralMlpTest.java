package dev.nnlab.training;

import dev.nnlab.tensor.Rng;

import dev.nnlab.data.Dataset;
import dev.nnlab.data.Spirals;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.layers.Dense;
import dev.nnlab.nn.layers.ReLU;
import dev.nnlab.nn.loss.Accuracy;
import dev.nnlab.nn.loss.SoftmaxCrossEntropy;
import dev.nnlab.optim.Optimizer;
import dev.nnlab.optim.OptimizerSpec;
import dev.nnlab.optim.Optimizers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CS231n spiral: 3 interleaved arms that no linear classifier separates. A 2-layer MLP learns
 * them; a learning rate far too high kills its ReLUs.
 */
class SpiralMlpTest {
    static final Dataset SPIRAL = Spirals.generate(3, 100, 0.2, 7);

    /** Trains 2-100-3 with plain SGD, full-batch-ish mini-batches; returns (train accuracy, last dead fraction). */
    static double[] train(float lr, int epochs, long seed) {
        Sequential model = new Sequential(new int[] {2}, new Dense(100), new ReLU(), new Dense(3)).initialize(new Rng(seed));
        Optimizer opt = Optimizers.create(OptimizerSpec.defaults("momentum", lr), model.params());
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        MiniBatches batches = new MiniBatches(SPIRAL.features(), SPIRAL.labels(), 50, false, new Rng(seed).fork(1));
        LayerMonitor monitor = new LayerMonitor(model, 10);
        double dead = Double.NaN;
        long step = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            batches.shuffle(epoch);
            for (int b = 0; b < batches.batchCount(); b++) {
                batches.load(b);
                loss.forward(model.forward(batches.features(), true), batches.labels());
                monitor.observeBatch();
                model.params().zeroGrad();
                model.backward(loss.backward());
                if (monitor.due(step++)) {
                    for (LayerStat s : monitor.measureStep(opt)) {
                        if (s.stat().equals(LayerStat.DEAD_FRACTION)) dead = s.value();
                    }
                } else {
                    opt.step();
                }
            }
        }
        double acc = Accuracy.of(model.forward(SPIRAL.features(), false), SPIRAL.labels());
        return new double[] {acc, dead};
    }

    @Test
    void a_two_layer_mlp_fits_the_spiral_to_at_least_95_percent() {
        double[] r = train(0.1f, 300, 1);
        assertThat(r[0]).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void a_huge_learning_rate_leaves_more_dead_relus_than_a_small_one() {
        double smallDead = 0, hugeDead = 0;
        for (long seed = 1; seed <= 3; seed++) {
            smallDead += train(0.01f, 30, seed)[1];
            hugeDead += train(20f, 30, seed)[1];
        }
        System.out.printf("dead ReLU fraction, mean of 3 seeds: lr 0.01 -> %.3f, lr 20 -> %.3f%n", smallDead / 3, hugeDead / 3);
        assertThat(hugeDead / 3).isGreaterThan(smallDead / 3 + 0.2);
    }
}
