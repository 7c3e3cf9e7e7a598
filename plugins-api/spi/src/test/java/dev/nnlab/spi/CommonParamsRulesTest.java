package dev.nnlab.spi;

import dev.nnlab.nn.Range;
import dev.nnlab.optim.GroupedOptimizer;
import dev.nnlab.optim.OptimizerSpec;
import dev.nnlab.optim.Sgd;
import dev.nnlab.optim.schedule.ExponentialSchedule;
import dev.nnlab.optim.schedule.InverseTimeSchedule;
import dev.nnlab.optim.schedule.LearningRateSchedule;
import dev.nnlab.optim.schedule.ReduceOnPlateau;
import dev.nnlab.optim.schedule.StepSchedule;
import dev.nnlab.optim.schedule.WarmupSchedule;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The common schema takes its ranges from the constructors' own rules, and never allows more. */
class CommonParamsRulesTest {

    private static Range range(String name) {
        return CommonParams.SCHEMA.spec(name).range();
    }

    @Test
    void each_common_range_lies_inside_every_rule_its_value_meets() {
        assertThat(range("momentum")).isEqualTo(Sgd.MOMENTUM);
        assertThat(LearningRateSchedule.BASE_LR.encloses(range("lr"))).isTrue();
        assertThat(GroupedOptimizer.LR.encloses(range("lr"))).isTrue();
        assertThat(GroupedOptimizer.WEIGHT_DECAY.encloses(range("weightDecay"))).isTrue();
        for (Range rule : new Range[] {StepSchedule.GAMMA, ExponentialSchedule.GAMMA, InverseTimeSchedule.DECAY}) {
            assertThat(rule.encloses(range("lrDecay"))).as("lrDecay inside %s", rule).isTrue();
        }
        assertThat(StepSchedule.STEP_EPOCHS.encloses(range("lrStepEpochs"))).isTrue();
        assertThat(ReduceOnPlateau.PATIENCE.encloses(range("lrStepEpochs"))).isTrue();
        assertThat(WarmupSchedule.EPOCHS_OR_NONE.encloses(range("warmupEpochs"))).isTrue();
    }

    @Test
    void momentum_0_is_accepted_by_the_schema_and_by_every_momentum_optimizer_and_1_by_neither() {
        for (String optimizer : new String[] {"sgd", "momentum", "nesterov"}) {
            Map<String, Object> resolved = CommonParams.SCHEMA.resolve(Map.of("optimizer", optimizer, "momentum", 0.0), "$.params");
            float momentum = ((Number) resolved.get("momentum")).floatValue();
            assertThat(OptimizerSpec.defaults(optimizer, 0.1f).withMomentum(momentum).momentum()).isZero();
        }
        assertThatThrownBy(() -> CommonParams.SCHEMA.resolve(Map.of("momentum", 1.0), "$.params"))
                .hasMessage("$.params.momentum: 1.0 is not allowed; expected a number >= 0 and < 1");
        assertThatThrownBy(() -> OptimizerSpec.defaults("momentum", 0.1f).withMomentum(1f))
                .hasMessage("optimizer 'momentum': momentum = 1.0 is not allowed; expected a number >= 0 and < 1");
    }

    @Test
    void a_narrowed_rule_keeps_its_constructor_end_and_adds_the_practical_cap() {
        assertThat(CommonParams.SCHEMA.spec("lr").allowed()).isEqualTo("a number > 0 and <= 100");
        assertThat(CommonParams.SCHEMA.spec("lrDecay").allowed()).isEqualTo("a number > 0 and <= 1");
        assertThat(ParamSpec.ofFloat("p", 0.5, "d").within(Range.closedOpen(0, 1)).within(Range.atLeast(0.1)).allowed())
                .isEqualTo("a number >= 0.1 and < 1");
    }
}
