package dev.nnlab.optim;

import dev.nnlab.nn.Parameters;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OptimizersTest {
    private final Parameters params = OptimizerFixtures.vector(1f, 2f, 3f);

    @Test
    void every_configuration_name_creates_the_matching_optimizer() {
        for (String name : OptimizerSpec.NAMES) {
            GroupedOptimizer opt = Optimizers.create(OptimizerSpec.defaults(name, 0.01f), params);
            assertThat(opt.kind()).isEqualTo(name);
            assertThat(opt.learningRate()).isEqualTo(0.01f);
        }
        assertThat(Optimizers.create(OptimizerSpec.defaults("nesterov", 0.1f), params)).isInstanceOf(Sgd.class)
                .satisfies(o -> assertThat(((Sgd) o).nesterov()).isTrue());
        assertThat(Optimizers.create(OptimizerSpec.defaults("adamw", 0.1f), params)).isInstanceOf(Adam.class)
                .satisfies(o -> assertThat(((Adam) o).decoupledWeightDecay()).isTrue());
    }

    @Test
    void state_arrays_counts_the_arrays_each_optimizer_really_keeps() {
        List<OptimizerSpec> specs = new ArrayList<>();
        for (String name : OptimizerSpec.NAMES) specs.add(OptimizerSpec.defaults(name, 0.01f));
        specs.add(OptimizerSpec.defaults("sgd", 0.01f).withMomentum(0.5f)); // sgd with momentum keeps a velocity
        for (OptimizerSpec spec : specs) {
            assertThat(Optimizers.stateArrays(spec)).as("%s, momentum %s", spec.name(), spec.momentum())
                    .isEqualTo(Optimizers.create(spec, params).state().size());
        }
        assertThat(Optimizers.stateArrays(OptimizerSpec.defaults("adam", 0.01f))).isEqualTo(2);
        assertThat(Optimizers.stateArrays(OptimizerSpec.defaults("sgd", 0.01f))).isZero();
    }

    @Test
    void defaults_are_pytorchs() {
        OptimizerSpec adam = OptimizerSpec.defaults("adam", 1e-3f);
        assertThat(adam.beta1()).isEqualTo(0.9f);
        assertThat(adam.beta2()).isEqualTo(0.999f);
        assertThat(adam.eps()).isEqualTo(1e-8f);
        assertThat(adam.weightDecay()).isZero();
        assertThat(OptimizerSpec.defaults("adamw", 1e-3f).weightDecay()).isEqualTo(0.01f);
        assertThat(OptimizerSpec.defaults("adagrad", 1e-2f).eps()).isEqualTo(1e-10f);
        assertThat(OptimizerSpec.defaults("rmsprop", 1e-2f).alpha()).isEqualTo(0.99f);
        assertThat(OptimizerSpec.defaults("momentum", 1e-2f).momentum()).isEqualTo(0.9f);
        assertThat(OptimizerSpec.defaults("sgd", 1e-2f).momentum()).isZero();
    }

    @Test
    void invalid_settings_are_refused_naming_the_field_the_value_and_the_range() {
        assertThatThrownBy(() -> OptimizerSpec.defaults("adam", 0.1f).withBetas(0.9f, 1f))
                .hasMessage("optimizer 'adam': beta2 = 1.0 is not allowed; expected a number >= 0 and < 1");
        assertThatThrownBy(() -> OptimizerSpec.defaults("sgd", -0.1f))
                .hasMessage("optimizer 'sgd': lr = -0.1 is not allowed; expected a number >= 0");
        assertThatThrownBy(() -> OptimizerSpec.defaults("nesterov", 0.1f).withMomentum(1f))
                .hasMessage("optimizer 'nesterov': momentum = 1.0 is not allowed; expected a number >= 0 and < 1");
        assertThat(OptimizerSpec.defaults("momentum", 0.1f).withMomentum(0f).momentum()).as("0 is plain SGD").isZero();
        assertThatThrownBy(() -> OptimizerSpec.defaults("adagrad", 0.1f).withEps(0f))
                .hasMessage("optimizer 'adagrad': eps = 0.0 is not allowed; expected a number > 0");
        assertThatThrownBy(() -> OptimizerSpec.defaults("rmsprop", 0.1f).withWeightDecay(Float.NaN))
                .hasMessage("optimizer 'rmsprop': weightDecay = NaN is not allowed; expected a number >= 0");
        assertThatThrownBy(() -> OptimizerSpec.defaults("lamb", 0.1f))
                .hasMessageContaining("optimizer = 'lamb' is not one of [sgd, momentum, nesterov");
    }

    @Test
    void a_learning_rate_set_by_a_schedule_is_validated_too() {
        GroupedOptimizer opt = Optimizers.create(OptimizerSpec.defaults("adam", 0.1f), params);
        opt.setLearningRate(0.02f);
        assertThat(opt.learningRate()).isEqualTo(0.02f);
        assertThatThrownBy(() -> opt.setLearningRate(Float.POSITIVE_INFINITY))
                .hasMessage("adam: lr = Infinity is not allowed; expected a number >= 0");
    }
}
