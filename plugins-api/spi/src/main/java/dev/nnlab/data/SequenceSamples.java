package dev.nnlab.data;

import dev.nnlab.spi.DataKind;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Generated long-range sequence tasks ({@link DataKind#SEQUENCES}), the catalog's {@code adding} and
 * {@code copy}, that show what gating buys; each part holds samples {@code x (N, T, C)} with targets:
 * <ul>
 *   <li>{@code adding} (Hochreiter and Schmidhuber 1997; Le et al. 2015's form): {@code T = length} steps
 *       of two channels, a value uniform in [0, 1) and a marker that is 1 at exactly two steps, one in each
 *       half; the target is the sum of the two marked values, read at the last step, scored by mean squared
 *       error. Always answering 1 scores the variance of that sum, 2/12 = 0.167: the baseline a model must beat.</li>
 *   <li>{@code copy}: {@code length} symbols of {@value #ALPHABET}, a delimiter, then {@code length} blanks
 *       during which the symbols must be written back in order ({@code T = 2 length + 1}, one id per step);
 *       scored by cross-entropy on those last steps only (chance: ln {@value #ALPHABET}). Ids: 0 blank,
 *       1 delimiter, 2.. the symbols; targets are symbol indices, -1 where nothing is asked.</li>
 * </ul>
 * The samples depend on the task, length, part and count only, drawn from the fixed generator seed
 * {@value #SEED} (never the run's seed), so runs that differ by seed see the same samples, as for every
 * dataset, and a trial is reproduced from its recorded dataset and parameters alone. The training part
 * has {@code samples} samples; validation and test a tenth of it each, at least 100.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public record SequenceSamples(String name, String task, int length, Part train, Part validation, Part test) implements TrainingData {
    public static final List<String> TASKS = List.of("adding", "copy");
    public static final int ALPHABET = 8;
    /** The variance of the sum of two uniform(0, 1) values: the adding problem's mean-prediction loss. */
    public static final double ADDING_BASELINE = 2.0 / 12.0;
    public static final long SEED = 0x5EC7A5L;
    /** The most values (samples x steps x channels, all parts) one preparation may generate: 100 MB of floats. */
    public static final long MAX_VALUES = 25_000_000L;

    /**
     * One part: {@code inputs (samples, steps, channels)}; for adding one target value per sample, for
     * copy one label per step ({@code samples * steps}, -1 where nothing is asked).
     */
    public record Part(Tensor inputs, float[] values, int[] labels, int samples) {}

    /** Generates {@code samples} training samples (and a tenth, at least 100, for validation and for test) of {@code task}. */
    public static SequenceSamples generate(String name, String task, int length, int samples) {
        if (!TASKS.contains(task)) throw new IllegalArgumentException("task = '" + task + "' generates no samples; allowed: " + TASKS);
        if (length < 2) throw new IllegalArgumentException("taskLength = " + length + " is too short; allowed: at least 2");
        if (samples < 1) throw new IllegalArgumentException("taskSamples = " + samples + "; allowed: at least 1");
        int eval = Math.max(100, samples / 10);
        long steps = task.equals("adding") ? length : 2L * length + 1, channels = task.equals("adding") ? 2 : 1;
        long values = (samples + 2L * eval) * steps * channels;
        if (values > MAX_VALUES) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "taskSamples = %d at taskLength = %d would generate %,d values "
                    + "(samples x steps x channels, validation and test included), more than the %,d allowed; lower taskSamples or taskLength",
                    samples, length, values, MAX_VALUES));
        }
        return new SequenceSamples(name, task, length, part(task, length, samples, 0), part(task, length, eval, 1), part(task, length, eval, 2));
    }

    @Override public DataKind kind() { return DataKind.SEQUENCES; }

    /** The generator, its seed and what it was asked for: the samples follow from these alone. */
    @Override public String checksum() {
        return String.format(Locale.ROOT, "generator:sequence-task/%s/length=%d/samples=%d/seed=%d", task, length, train.samples, SEED);
    }

    @Override public long heapBytes() {
        long b = 0;
        for (Part p : List.of(train, validation, test)) {
            b += 4L * p.inputs.size() + (p.values == null ? 0 : 4L * p.values.length) + (p.labels == null ? 0 : 4L * p.labels.length);
        }
        return b;
    }

    @Override public String describe() {
        return String.format(Locale.ROOT, "%s: %s task, length %d (%d steps), %d train / %d val / %d test samples", name, task, length,
                steps(), train.samples, validation.samples, test.samples);
    }

    public boolean isAdding() { return task.equals("adding"); }

    /** Steps per sample. */
    public int steps() { return isAdding() ? length : 2 * length + 1; }

    /** Values per step: 2 channels (adding) or 1 id (copy). */
    public int channels() { return isAdding() ? 2 : 1; }

    /** Targets per sample: 1 value (adding) or one label per step (copy). */
    public int targetsPerSample() { return isAdding() ? 1 : steps(); }

    private static Part part(String task, int length, int samples, int part) {
        Rng rng = new Rng(SEED).fork(((long) task.hashCode() * 31 + length) * 4 + part);
        if (task.equals("adding")) {
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
            return new Part(x, y, null, samples);
        }
        int steps = 2 * length + 1;
        Tensor x = Tensor.zeros(samples, steps);
        int[] labels = new int[samples * steps];
        Arrays.fill(labels, -1);
        for (int s = 0; s < samples; s++) {
            for (int t = 0; t < length; t++) {
                int symbol = rng.nextInt(ALPHABET);
                x.data[s * steps + t] = 2 + symbol;
                labels[s * steps + length + 1 + t] = symbol;
            }
            x.data[s * steps + length] = 1;
        }
        return new Part(x, null, labels, samples);
    }
}
