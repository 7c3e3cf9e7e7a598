package dev.nnlab.optim.schedule;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SchedulesTest {
    private static final double TOL = 1e-7;

    @Test
    void every_name_builds_a_schedule_with_the_configured_values() {
        assertThat(Schedules.create(ScheduleConfig.of("constant", 0.1)).lr(9)).isEqualTo(0.1f);
        assertThat((double) Schedules.create(ScheduleConfig.of("step", 0.1).withStepEpochs(2)).lr(2))
                .isCloseTo(0.01, within(TOL));
        assertThat((double) Schedules.create(ScheduleConfig.of("step", 0.1).withStepEpochs(2).withGamma(0.5)).lr(4))
                .isCloseTo(0.025, within(TOL));
        assertThat((double) Schedules.create(ScheduleConfig.of("inverse_time", 0.1).withDecay(1)).lr(3))
                .isCloseTo(0.025, within(TOL));
        assertThat((double) Schedules.create(ScheduleConfig.of("exponential", 0.1).withGamma(0.5)).lr(1))
                .isCloseTo(0.05, within(TOL));
        assertThat((double) Schedules.create(ScheduleConfig.of("cosine", 0.1).withTotalEpochs(10).withMinLr(0.02)).lr(5))
                .isCloseTo(0.06, within(TOL));
        assertThat(Schedules.create(ScheduleConfig.of("plateau", 0.1).withMode("max").withPatience(2)))
                .isInstanceOf(ReduceOnPlateau.class);
    }

    @Test
    void plateau_defaults_halve_after_ten_bad_validations() {
        LearningRateSchedule s = Schedules.create(ScheduleConfig.of("plateau", 0.1));
        for (int i = 0; i < 10; i++) s.onValidation(1.0);
        assertThat(s.lr(0)).isEqualTo(0.1f);
        s.onValidation(1.0);
        assertThat(s.lr(0)).isEqualTo(0.05f);
    }

    @Test
    void warmup_epochs_wrap_any_schedule() {
        LearningRateSchedule s = Schedules.create(ScheduleConfig.of("cosine", 1).withTotalEpochs(4).withWarmupEpochs(2));
        assertThat(s).isInstanceOf(WarmupSchedule.class);
        assertThat((double) s.lr(2)).isCloseTo(1.0, within(TOL));
        assertThat((double) s.lr(4)).isCloseTo(0.5, within(TOL));
        assertThat(Schedules.create(ScheduleConfig.of("cosine", 1).withTotalEpochs(4).withWarmupEpochs(0)))
                .isInstanceOf(CosineSchedule.class);
    }

    @Test
    void unknown_name_is_refused_listing_the_allowed_names() {
        assertThatThrownBy(() -> Schedules.create(ScheduleConfig.of("cosin", 0.1)))
                .hasMessageContaining("name")
                .hasMessageContaining("'cosin'")
                .hasMessageContaining("constant, step, inverse_time, exponential, cosine, plateau");
    }

    @Test
    void out_of_range_values_are_refused_naming_field_value_and_allowed_range() {
        assertThatThrownBy(() -> Schedules.create(ScheduleConfig.of("step", 0.1).withStepEpochs(2).withGamma(1.5)))
                .hasMessage("schedule 'step': gamma = 1.5 is not allowed; expected a number > 0 and <= 1");
        assertThatThrownBy(() -> Schedules.create(ScheduleConfig.of("step", 0.1).withStepEpochs(0)))
                .hasMessage("schedule 'step': stepEpochs = 0 is not allowed; expected an integer >= 1");
        assertThatThrownBy(() -> Schedules.create(ScheduleConfig.of("constant", -0.1)))
                .hasMessage("schedule 'constant': lr = -0.1 is not allowed; expected a number > 0");
        assertThatThrownBy(() -> Schedules.create(ScheduleConfig.of("cosine", 0.1).withTotalEpochs(5).withMinLr(0.2)))
                .hasMessage("schedule 'cosine': minLr = 0.2 is not allowed; expected a number >= 0 and < 0.1");
        assertThatThrownBy(() -> Schedules.create(ScheduleConfig.of("plateau", 0.1).withFactor(1.0)))
                .hasMessage("schedule 'plateau': factor = 1.0 is not allowed; expected a number > 0 and < 1");
        assertThatThrownBy(() -> Schedules.create(ScheduleConfig.of("plateau", 0.1).withMode("avg")))
                .hasMessageContaining("'mode'").hasMessageContaining("'avg'").hasMessageContaining("min, max");
        assertThatThrownBy(() -> Schedules.create(ScheduleConfig.of("constant", 0.1).withWarmupEpochs(-1)))
                .hasMessage("schedule 'constant': warmupEpochs = -1.0 is not allowed; expected a number >= 0");
    }

    @Test
    void missing_required_field_is_named() {
        assertThatThrownBy(() -> Schedules.create(ScheduleConfig.of("cosine", 0.1)))
                .hasMessageContaining("'cosine'").hasMessageContaining("'totalEpochs'");
        assertThatThrownBy(() -> Schedules.create(ScheduleConfig.of("exponential", 0.1)))
                .hasMessageContaining("'gamma'");
    }

    @Test
    void a_field_the_schedule_does_not_use_is_refused_not_ignored() {
        assertThatThrownBy(() -> Schedules.create(ScheduleConfig.of("cosine", 0.1).withTotalEpochs(5).withGamma(0.5)))
                .hasMessageContaining("'gamma' = 0.5")
                .hasMessageContaining("'cosine'")
                .hasMessageContaining("minLr, totalEpochs");
    }
}
