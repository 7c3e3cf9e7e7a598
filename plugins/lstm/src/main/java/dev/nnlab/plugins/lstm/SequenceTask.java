package dev.nnlab.plugins.lstm;

import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;

import java.util.List;

/**
 * The generated long-range tasks that show what gating buys, as samples {@code x (N, T, C)} with targets:
 * <ul>
 *   <li>{@code adding} (Hochreiter and Schmidhuber 1997; Le et al. 2015's form): {@code T = length} steps of
 *       two channels, a value uniform in [0, 1) and a marker that is 1 at exactly two steps, one in each half;
 *       the target is the sum of the two marked values, read at the last step, scored by mean squared error.
 *       Always answering 1 scores the variance of that sum, 2/12 = 0.167: the baseline a model must beat.</li>
 *   <li>{@code copy}: {@code length} symbols of {@value #ALPHABET}, a delimiter, then {@code length} blanks
 *       during which the symbols must be written back in order ({@code T = 2 length + 1}); scored by
 *       cross-entropy on those last steps only (chance: ln {@value #ALPHABET}). Ids: 0 blank, 1 delimiter,
 *       2.. the symbols; targets are symbol indices, -1 where nothing is asked.</li>
 * </ul>
 * The data depends on the task, length, part and sample count only, never on the run's seed, so runs that
 * differ by seed see the same samples (as every dataset split in nnlab), and a trial is reproduced from its
 * recorded parameters alone.
 */
record SequenceTask(String task, int length, Tensor inputs, float[] values, int[] labels, int samples) {
    public static final List<String> TASKS = List.of("lm", "adding", "copy");
    public static final int ALPHABET = 8;
    /** The variance of the sum of two uniform(0, 1) values: the adding problem's mean-prediction loss. */
    public static final double ADDING_BASELINE = 2.0 / 12.0;

    boolean isAdding() { return task.equals("adding"); }

    /** Steps per sample. */
    int steps() { return isAdding() ? length : 2 * length + 1; }

    /** Values per step: 2 channels (adding) or 1 id (copy). */
    int channels() { return isAdding() ? 2 : 1; }

    /** Targets per sample: 1 value (adding) or one label per step (copy). */
    int targetsPerSample() { return isAdding() ? 1 : steps(); }

    /** {@code samples} samples of part {@code part} (0 train, 1 validation, 2 test). */
    static SequenceTask generate(String task, int length, int samples, int part) {
        Rng rng = new Rng(0x5EC7A5L).fork(((long) task.hashCode() * 31 + length) * 4 + part);
        if (task.equals("adding")) {
            if (length < 2) throw new IllegalArgumentException("taskLength = " + length + " is too short for the adding problem; allowed: at least 2");
            Tensor x = Tensor.zeros(samples, length, 2);
            float[] y = new float[samples];
            int half = length / 2;
            for (int s = 0; s < samples; s++) {
                for (int t = 0; t < length; t++) x.data[(s * length + t) * 2] = rng.nextFloat();
                int a = rng.nextInt(half), b = half + rng.nextInt(length - half);
                x.data[(s * length + a) * 2 + 1] = 1f;
                x.data[(s * length + b) * 2 + 1] = 1f;
                y[s] = x.data[(s * length + a) * 2] + x.data[(s * length + b) * 2];
            }
            return new SequenceTask(task, length, x, y, null, samples);
        }
        if (!task.equals("copy")) throw new IllegalArgumentException("task = '" + task + "' generates no samples; allowed: adding, copy");
        int steps = 2 * length + 1;
        Tensor x = Tensor.zeros(samples, steps);
        int[] labels = new int[samples * steps];
        java.util.Arrays.fill(labels, -1);
        for (int s = 0; s < samples; s++) {
            for (int t = 0; t < length; t++) {
                int symbol = rng.nextInt(ALPHABET);
                x.data[s * steps + t] = 2 + symbol;
                labels[s * steps + length + 1 + t] = symbol;
            }
            x.data[s * steps + length] = 1;
        }
        return new SequenceTask(task, length, x, null, labels, samples);
    }
}
