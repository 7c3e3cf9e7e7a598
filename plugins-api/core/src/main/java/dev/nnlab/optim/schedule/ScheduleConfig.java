package dev.nnlab.optim.schedule;

/**
 * A learning-rate schedule as a run configuration names it. {@code null} means "not given": the
 * schedule's default applies, and a field the chosen schedule does not use must stay {@code null}
 * (so a typo'd config fails instead of being silently ignored). {@link Schedules#create} validates
 * and builds it.
 *
 * <p>Fields, by schedule name (defaults in brackets):
 * <ul>
 *   <li>{@code constant}: -</li>
 *   <li>{@code step}: {@code stepEpochs} (required), {@code gamma} [0.1]</li>
 *   <li>{@code inverse_time}: {@code decay} (required): {@code lr / (1 + decay * t)}</li>
 *   <li>{@code exponential}: {@code gamma} (required): {@code lr * gamma^t}</li>
 *   <li>{@code cosine}: {@code totalEpochs} (required, the length of the cosine after warm-up), {@code minLr} [0]</li>
 *   <li>{@code plateau}: {@code mode} ["min"], {@code factor} [0.5], {@code patience} [10],
 *       {@code threshold} [1e-4], {@code minLr} [0]</li>
 *   <li>every schedule: {@code warmupEpochs} [0 = no warm-up], see {@link WarmupSchedule}</li>
 * </ul>
 *
 * <p>Stability: stable for plugin authors.
 */
public record ScheduleConfig(String name, double lr, Double gamma, Integer stepEpochs, Double decay,
                             Double totalEpochs, Double minLr, Double warmupEpochs, String mode,
                             Double factor, Integer patience, Double threshold) {

    /** Schedule {@code name} at base rate {@code lr}, every optional field unset. */
    public static ScheduleConfig of(String name, double lr) {
        return new ScheduleConfig(name, lr, null, null, null, null, null, null, null, null, null, null);
    }

    public ScheduleConfig withGamma(double v) {
        return new ScheduleConfig(name, lr, v, stepEpochs, decay, totalEpochs, minLr, warmupEpochs, mode, factor, patience, threshold);
    }

    public ScheduleConfig withStepEpochs(int v) {
        return new ScheduleConfig(name, lr, gamma, v, decay, totalEpochs, minLr, warmupEpochs, mode, factor, patience, threshold);
    }

    public ScheduleConfig withDecay(double v) {
        return new ScheduleConfig(name, lr, gamma, stepEpochs, v, totalEpochs, minLr, warmupEpochs, mode, factor, patience, threshold);
    }

    public ScheduleConfig withTotalEpochs(double v) {
        return new ScheduleConfig(name, lr, gamma, stepEpochs, decay, v, minLr, warmupEpochs, mode, factor, patience, threshold);
    }

    public ScheduleConfig withMinLr(double v) {
        return new ScheduleConfig(name, lr, gamma, stepEpochs, decay, totalEpochs, v, warmupEpochs, mode, factor, patience, threshold);
    }

    public ScheduleConfig withWarmupEpochs(double v) {
        return new ScheduleConfig(name, lr, gamma, stepEpochs, decay, totalEpochs, minLr, v, mode, factor, patience, threshold);
    }

    public ScheduleConfig withMode(String v) {
        return new ScheduleConfig(name, lr, gamma, stepEpochs, decay, totalEpochs, minLr, warmupEpochs, v, factor, patience, threshold);
    }

    public ScheduleConfig withFactor(double v) {
        return new ScheduleConfig(name, lr, gamma, stepEpochs, decay, totalEpochs, minLr, warmupEpochs, mode, v, patience, threshold);
    }

    public ScheduleConfig withPatience(int v) {
        return new ScheduleConfig(name, lr, gamma, stepEpochs, decay, totalEpochs, minLr, warmupEpochs, mode, factor, v, threshold);
    }

    public ScheduleConfig withThreshold(double v) {
        return new ScheduleConfig(name, lr, gamma, stepEpochs, decay, totalEpochs, minLr, warmupEpochs, mode, factor, patience, v);
    }
}
