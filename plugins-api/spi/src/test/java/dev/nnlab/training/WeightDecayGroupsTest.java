package dev.nnlab.training;

import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.layers.BatchNorm;
import dev.nnlab.nn.layers.Dense;
import dev.nnlab.nn.layers.PReLU;
import dev.nnlab.optim.GroupedOptimizer;
import dev.nnlab.optim.ParameterGroup;
import dev.nnlab.nn.init.Xavier;
import dev.nnlab.spi.CommonParams;
import dev.nnlab.tensor.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The common setup decays weights, and leaves biases, norm gains/shifts and PReLU slopes alone. */
class WeightDecayGroupsTest {

    private static Sequential model() {
        Sequential m = new Sequential(new int[] {3}, new Dense(4), new BatchNorm(), new PReLU(), new Dense(2)).initialize(new Rng(1));
        Parameters p = m.params();
        // Non-zero values everywhere, so a decay would show on every entry.
        for (int i = 0; i < p.size(); i++) p.values[i] = 0.5f + 0.01f * i;
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sgd", "momentum", "adam", "adamw", "rmsprop", "adagrad"})
    void with_zero_gradients_only_the_weights_shrink(String optimizer) {
        Sequential m = model();
        Parameters p = m.params();
        float[] before = p.values.clone();
        p.zeroGrad();
        GroupedOptimizer opt = CommonSetup.optimizer(
                CommonParams.SCHEMA.resolve(Map.of("optimizer", optimizer, "lr", 0.01, "weightDecay", 0.5), "$"), p);
        opt.step();
        for (Parameters.Entry e : p.entries()) {
            if (!e.trainable()) continue;
            for (int i = e.offset(); i < e.offset() + e.size(); i++) {
                if (ParameterGroup.isWeight(e)) {
                    assertThat(Math.abs(p.values[i])).as("%s[%d] is decayed", e.name(), i - e.offset())
                            .isLessThan(Math.abs(before[i]));
                } else {
                    assertThat(p.values[i]).as("%s[%d] is not decayed", e.name(), i - e.offset()).isEqualTo(before[i]);
                }
            }
        }
    }

    @Test
    void sgd_decays_a_weight_by_exactly_lr_times_decay_and_leaves_the_bias_as_it_was() {
        Sequential m = model();
        Parameters p = m.params();
        float w = p.value("dense0.weight").at(0), b = p.value("dense0.bias").at(0);
        p.zeroGrad();
        CommonSetup.optimizer(CommonParams.SCHEMA.resolve(Map.of("optimizer", "sgd", "lr", 0.1, "weightDecay", 0.5), "$"), p)
                .step();
        assertThat(p.value("dense0.weight").at(0)).isCloseTo(w * (1 - 0.1f * 0.5f), within(1e-6f));
        assertThat(p.value("dense0.bias").at(0)).isEqualTo(b);
    }

    @Test
    void groups_name_every_non_weight_and_a_bias_free_model_needs_none() {
        Sequential m = model();
        GroupedOptimizer opt = CommonSetup.optimizer(CommonParams.SCHEMA.resolve(Map.of("weightDecay", 0.01), "$"), m.params());
        assertThat(opt.groups()).extracting(GroupedOptimizer.Group::name).containsExactly("no_decay", "default");
        assertThat(opt.groups().get(0).entries()).extracting(Parameters.Entry::name).containsExactly(
                "dense0.bias", "batchnorm1.gamma", "batchnorm1.beta", "prelu2.alpha", "dense3.bias");
        assertThat(opt.groups().get(0).weightDecay()).isZero();
        assertThat(opt.groups().get(1).entries()).extracting(Parameters.Entry::name).containsExactly("dense0.weight", "dense3.weight");
        assertThat(opt.groups().get(1).weightDecay()).isEqualTo(0.01f);

        Sequential biasFree = new Sequential(new int[] {3}, new Dense(2, new Xavier(false), false)).initialize(new Rng(1));
        assertThat(ParameterGroup.decayWeightsOnly(biasFree.params())).isEmpty();
    }
}
