package dev.nnlab.training;

import dev.nnlab.data.Dataset;
import dev.nnlab.nn.Parameters;
import dev.nnlab.optim.GroupedOptimizer;
import dev.nnlab.optim.Optimizer;
import dev.nnlab.optim.OptimizerSpec;
import dev.nnlab.optim.Optimizers;
import dev.nnlab.optim.ParameterGroup;
import dev.nnlab.optim.schedule.LearningRateSchedule;
import dev.nnlab.optim.schedule.ScheduleConfig;
import dev.nnlab.optim.schedule.Schedules;
import dev.nnlab.spi.CommonParams;
import dev.nnlab.spi.MemoryEstimate;
import dev.nnlab.spi.TrainingJob;

import java.util.List;
import java.util.Map;

/**
 * Turns the {@link CommonParams} of a job into the optimizer and schedule they name, so that
 * every family reads {@code optimizer}, {@code lr}, {@code schedule}... the same way.
 *
 * <p>Stability: evolving; the shared loop may gain steps and options (by new methods, defaults unchanged).
 */
public final class CommonSetup {
    private CommonSetup() {}

    /**
     * The optimizer named by {@code optimizer}, with {@code lr}, {@code weightDecay} (coupled L2; decoupled
     * for adamw) and, for momentum and nesterov, {@code momentum} (0 trains as plain SGD). Plain
     * {@code sgd} ignores momentum. Weight decay applies to weights only, not to biases or
     * normalisation gains and shifts: see {@link ParameterGroup#decayWeightsOnly} for why.
     */
    public static Optimizer optimizer(TrainingJob job, Parameters params) {
        return optimizer(job.params(), params);
    }

    /**
     * As {@link #optimizer(TrainingJob, Parameters)} with {@code first} ahead of the weight-decay group: an entry
     * belongs to the first group that selects it, so a frozen group ({@link TransferLearning}) wins.
     */
    public static Optimizer optimizer(TrainingJob job, Parameters params, List<ParameterGroup> first) {
        List<ParameterGroup> groups = new java.util.ArrayList<>(first);
        groups.addAll(ParameterGroup.decayWeightsOnly(params));
        return Optimizers.create(optimizerSpec(job.params()), params, groups);
    }

    /** As {@link #optimizer(TrainingJob, Parameters)}, from resolved parameters ({@link CommonParams#SCHEMA}). */
    public static GroupedOptimizer optimizer(Map<String, Object> resolved, Parameters params) {
        return Optimizers.create(optimizerSpec(resolved), params, ParameterGroup.decayWeightsOnly(params));
    }

    /** The optimizer configuration that {@link #optimizer} builds from resolved common parameters. */
    public static OptimizerSpec optimizerSpec(Map<String, Object> resolved) {
        String name = (String) resolved.get("optimizer");
        OptimizerSpec spec = OptimizerSpec.defaults(name, number(resolved, "lr"))
                .withWeightDecay(number(resolved, "weightDecay"));
        if (name.equals("momentum") || name.equals("nesterov")) spec = spec.withMomentum(number(resolved, "momentum"));
        return spec;
    }

    private static float number(Map<String, Object> resolved, String name) {
        return ((Number) resolved.get(name)).floatValue();
    }

    /**
     * The {@link MemoryEstimate} of a model trained by {@link SupervisedTraining} with these resolved
     * common parameters, from counts a family computes without building it (in longs: the point is
     * to catch models too large to build).
     *
     * @param parameterCount      every parameter value, buffers included (the length of the flat arrays)
     * @param trainableCount      the trainable ones
     * @param activationsPerSample float values one sample keeps across all layers in a training step:
     *                            the input copy, each layer's output and input gradient, the loss buffers
     */
    public static MemoryEstimate memoryEstimate(Map<String, Object> params, long parameterCount, long trainableCount,
                                                long activationsPerSample) {
        long floatBytes = Float.BYTES;
        long rows = Evaluation.rowsPerPass(((Number) params.get("batchSize")).intValue());
        long stateArrays = Optimizers.stateArrays(optimizerSpec(params));
        return MemoryEstimate.of(
                saturatingProduct(floatBytes, parameterCount),
                saturatingProduct(floatBytes, parameterCount),
                saturatingProduct(floatBytes * stateArrays, parameterCount),
                saturatingProduct(saturatingProduct(floatBytes, rows), activationsPerSample),
                saturatingProduct(floatBytes, trainableCount));
    }

    private static long saturatingProduct(long a, long b) {
        return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }

    /**
     * The schedule named by {@code schedule}: step multiplies by {@code lrDecay} every {@code lrStepEpochs};
     * inverse_time is lr/(1 + lrDecay t); exponential is lr lrDecay^t; cosine anneals to 0 over the epochs after
     * warm-up; plateau halves the rate after {@code lrStepEpochs} epochs without validation-loss improvement.
     * {@code warmupEpochs} puts a linear warm-up in front of any of them.
     */
    public static LearningRateSchedule schedule(TrainingJob job) {
        String name = job.stringParam("schedule");
        double lr = job.doubleParam("lr");
        double decay = job.doubleParam("lrDecay");
        int stepEpochs = job.intParam("lrStepEpochs");
        double warmup = job.doubleParam("warmupEpochs");
        ScheduleConfig c = ScheduleConfig.of(name, lr);
        c = switch (name) {
            case "step" -> c.withGamma(decay).withStepEpochs(stepEpochs);
            case "inverse_time" -> c.withDecay(decay);
            case "exponential" -> c.withGamma(decay);
            case "cosine" -> c.withTotalEpochs(Math.max(1e-9, job.intParam("epochs") - warmup));
            // The classic "halve when validation stops improving" (the factor 0.5 of Keras and PyTorch examples).
            case "plateau" -> c.withFactor(0.5).withPatience(stepEpochs);
            default -> c;
        };
        if (warmup > 0) c = c.withWarmupEpochs(warmup);
        return Schedules.create(c);
    }

    public static LabelledData data(Dataset d) {
        return new LabelledData(d.features(), d.labels(), d.pixelCodes());
    }
}
