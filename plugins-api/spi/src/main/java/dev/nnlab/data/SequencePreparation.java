package dev.nnlab.data;

import dev.nnlab.nn.Range;
import dev.nnlab.spi.ParamSpec;

import java.util.List;
import java.util.Map;

/**
 * The preparation of a generated sequence task ({@link dev.nnlab.spi.DataKind#SEQUENCES}): how long
 * a sample is and how many training samples to generate ({@link SequenceSamples#generate}). Part of
 * the run's recorded parameters, so the dataset name ({@code adding}, {@code copy}) and these two
 * values say exactly what the run trained on.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public record SequencePreparation(int length, int samples) implements Preparation {
    public static final ParamSpec TASK_LENGTH = ParamSpec.ofInt("taskLength", 50,
            "Sequence tasks: adding: steps per sample; copy: symbols to remember (2 x taskLength + 1 steps).")
            .within(Range.closed(2, 1000));
    public static final ParamSpec TASK_SAMPLES = ParamSpec.ofInt("taskSamples", 10000,
            "Sequence tasks: generated training samples (validation and test: a tenth each, at least 100).")
            .within(Range.closed(1, 100_000));
    public static final List<ParamSpec> PARAMS = List.of(TASK_LENGTH, TASK_SAMPLES);

    public static SequencePreparation of(Map<String, Object> resolved) {
        return new SequencePreparation(intOr(resolved, TASK_LENGTH), intOr(resolved, TASK_SAMPLES));
    }

    private static int intOr(Map<String, Object> resolved, ParamSpec spec) {
        Object v = resolved.get(spec.name());
        return v == null ? ((Number) spec.defaultValue()).intValue() : ((Number) v).intValue();
    }

    @Override public String key() { return "taskLength=" + length + " taskSamples=" + samples; }

    /** The samples of task {@code task} ({@code adding} or {@code copy}) as dataset {@code name}. */
    public SequenceSamples prepare(String name, String task) { return SequenceSamples.generate(name, task, length, samples); }
}
