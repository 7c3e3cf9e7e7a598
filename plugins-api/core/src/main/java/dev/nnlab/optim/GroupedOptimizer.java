package dev.nnlab.optim;

import dev.nnlab.kernels.ParallelParts;
import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Range;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shared machinery of nnlab's optimizers: parameter groups resolved to contiguous ranges of
 * the flat arrays, the learning rate, the step count, and named state arrays laid out exactly like
 * {@link Parameters#values}. A subclass supplies one flat update over a range.
 *
 * <p>Row-sparse entries (an embedding table, {@link Parameters.Builder#addRowSparse}) are stepped
 * row by row over the rows the batch touched, with the same {@code update}: the step costs those rows,
 * not the table. Untouched rows are left exactly as they are, state included: for plain SGD and
 * Adagrad without weight decay that is the dense result (their update is 0 where the gradient is 0);
 * for momentum, RMSprop and Adam it is the "lazy" variant (TensorFlow's LazyAdam, PyTorch's SparseAdam),
 * whose averages of a row move only when the row is used, and weight decay applies to touched rows only.
 *
 * <p>Stability: stable for plugin authors (a new optimizer extends this class).
 */
public abstract class GroupedOptimizer implements Optimizer {
    /** The widest vector shape the CPU runs natively; update loops use it with a scalar tail. */
    protected static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /** The current learning rate: 0 is allowed (a cosine schedule ends there). */
    public static final Range LR = Range.atLeast(0);
    /** L2 coefficient, coupled or decoupled. */
    public static final Range WEIGHT_DECAY = Range.atLeast(0);
    /** The denominator guard of the adaptive optimizers: any positive value keeps the division finite. */
    public static final Range EPS = Range.above(0);

    /** A resolved parameter group: its entries and effective settings. */
    public record Group(String name, List<Parameters.Entry> entries, float lrScale, float weightDecay, boolean frozen) {}

    protected final Parameters params;
    private final String kind;
    private final List<Group> groups;
    private final List<int[]> ranges = new ArrayList<>();
    private final List<List<Parameters.TouchedRows>> sparse = new ArrayList<>();
    private long lastStepSize;
    private final Map<String, float[]> state = new LinkedHashMap<>();
    private float learningRate;
    private long steps;

    /**
     * @param kind        the optimizer's name in messages ("adam")
     * @param groups      explicit groups, first match wins; the rest form the {@value ParameterGroup#DEFAULT_NAME} group
     * @param weightDecay the decay of groups that do not set their own
     * @param stateNames  one zero-initialised array of {@code params.size()} floats is created per name
     */
    protected GroupedOptimizer(String kind, Parameters params, List<ParameterGroup> groups, float learningRate,
                               float weightDecay, String... stateNames) {
        this.kind = kind;
        this.params = params;
        this.learningRate = LR.require(kind, "lr", learningRate);
        WEIGHT_DECAY.require(kind, "weightDecay", weightDecay);
        this.groups = Collections.unmodifiableList(resolve(groups, weightDecay));
        for (String s : stateNames) state.put(s, new float[params.size()]);
    }

    private List<Group> resolve(List<ParameterGroup> specs, float defaultDecay) {
        List<Parameters.Entry> entries = params.entries();
        boolean[] taken = new boolean[entries.size()];
        List<Group> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ParameterGroup spec : specs) {
            List<Parameters.Entry> members = new ArrayList<>();
            for (int k = 0; k < entries.size(); k++) {
                Parameters.Entry e = entries.get(k);
                if (e.trainable() && !taken[k] && spec.selects().test(e)) {
                    taken[k] = true;
                    members.add(e);
                }
            }
            if (members.isEmpty()) {
                throw new IllegalArgumentException(kind + ": parameter group '" + spec.name()
                        + "' selects no trainable parameter not already in an earlier group; entries are " + entries);
            }
            float decay = spec.inheritsWeightDecay() ? defaultDecay : spec.weightDecay();
            add(out, names, new Group(spec.name(), List.copyOf(members), spec.lrScale(), decay, spec.frozen()));
        }
        List<Parameters.Entry> rest = new ArrayList<>();
        for (int k = 0; k < entries.size(); k++) if (entries.get(k).trainable() && !taken[k]) rest.add(entries.get(k));
        if (!rest.isEmpty()) add(out, names, new Group(ParameterGroup.DEFAULT_NAME, List.copyOf(rest), 1f, defaultDecay, false));
        return out;
    }

    private void add(List<Group> out, Set<String> names, Group g) {
        if (!names.add(g.name())) throw new IllegalArgumentException(kind + ": two parameter groups are named '" + g.name() + "'");
        out.add(g);
        List<Parameters.TouchedRows> rowSparse = new ArrayList<>();
        // Entries are contiguous in the flat array, so neighbours merge into one range: {offset, length}.
        List<int[]> merged = new ArrayList<>();
        for (Parameters.Entry e : g.entries()) {
            Parameters.TouchedRows t = params.touchedRows(e);
            if (t != null) {
                rowSparse.add(t);
                continue;
            }
            int[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && last[0] + last[1] == e.offset()) last[1] += e.size();
            else merged.add(new int[] {e.offset(), e.size()});
        }
        int[] flat = new int[2 * merged.size()];
        for (int r = 0; r < merged.size(); r++) {
            flat[2 * r] = merged.get(r)[0];
            flat[2 * r + 1] = merged.get(r)[1];
        }
        ranges.add(flat);
        sparse.add(rowSparse);
    }

    @Override
    public final void step() {
        steps++;
        beginStep(steps);
        long size = 0;
        for (int k = 0; k < groups.size(); k++) {
            Group g = groups.get(k);
            if (g.frozen()) continue;
            float lr = learningRate * g.lrScale();
            int[] r = ranges.get(k);
            for (int i = 0; i < r.length; i += 2) {
                updateRange(r[i], r[i + 1], lr, g.weightDecay());
                size += r[i + 1];
            }
            for (Parameters.TouchedRows t : sparse.get(k)) {
                for (int j = 0; j < t.count(); j++) update(t.offset(t.row(j)), t.cols(), lr, g.weightDecay());
                size += (long) t.count() * t.cols();
            }
        }
        lastStepSize = size;
    }

    /**
     * The L2 penalty that a coupled weight decay descends: the sum over groups of
     * {@code (weightDecay / 2) * ||p||^2} over the group's values (its gradient {@code weightDecay * p} is
     * what {@link #update} adds). NaN when the decay is decoupled (AdamW), where it is no term of any loss.
     */
    public double l2Penalty() {
        if (decoupledDecay()) return Double.NaN;
        double total = 0;
        for (Group g : groups) {
            if (g.weightDecay() == 0) continue;
            double sq = 0;
            for (Parameters.Entry e : g.entries()) {
                for (int k = e.offset(), end = e.offset() + e.size(); k < end; k++) sq += (double) params.values[k] * params.values[k];
            }
            total += 0.5 * g.weightDecay() * sq;
        }
        return total;
    }

    /** True when weight decay shrinks the values directly instead of adding {@code weightDecay * p} to the gradient. */
    protected boolean decoupledDecay() { return false; }

    /**
     * The median per-value step size {@code lr_g / (sqrt(s) + eps)} that an adaptive optimizer applied on
     * its last step to the values of {@code entries}, over those whose accumulated square {@code s} is
     * positive (a value that never had a gradient takes no step); {@code lr_g} is the group's rate (base
     * times multiplier), frozen groups are left out. The median, not the mean: a few values whose
     * gradient was non-zero once (a border pixel's weight) have a tiny {@code s} and a huge ratio that
     * would make the mean a statement about them alone. NaN for an optimizer without a per-value
     * accumulator ({@link #adaptiveAccumulator}) or when no value qualifies.
     */
    public final double medianEffectiveLr(List<Parameters.Entry> entries) {
        float[] s = adaptiveAccumulator();
        if (s == null) return Double.NaN;
        double eps = adaptiveEps();
        int total = 0;
        for (Parameters.Entry e : entries) total += e.size();
        double[] steps = new double[total];
        int n = 0;
        for (Parameters.Entry e : entries) {
            Group g = groupOf(e);
            if (g == null || g.frozen()) continue;
            double lr = (double) learningRate * g.lrScale();
            for (int k = e.offset(), end = e.offset() + e.size(); k < end; k++) {
                if (s[k] > 0) steps[n++] = lr / (Math.sqrt(s[k]) + eps);
            }
        }
        if (n == 0) return Double.NaN;
        Arrays.sort(steps, 0, n);
        return n % 2 == 1 ? steps[n / 2] : 0.5 * (steps[n / 2 - 1] + steps[n / 2]);
    }

    private Group groupOf(Parameters.Entry e) {
        for (Group g : groups) for (Parameters.Entry m : g.entries()) if (m.name().equals(e.name())) return g;
        return null;
    }

    /** The accumulated squared gradients that divide the step (Adagrad's sum, RMSprop's average), or null. */
    protected float[] adaptiveAccumulator() { return null; }

    /** The guard added to {@code sqrt(s)} in the step of an optimizer with an {@link #adaptiveAccumulator}. */
    protected float adaptiveEps() { return 0f; }

    /**
     * One dense range, split across the kernel threads when it is long (an MLP's 269k parameters) and
     * the subclass says its updates of disjoint ranges are independent. Cut at a multiple of the vector
     * length, so every element takes the same (vector or scalar) path as in one piece: the result is
     * the same to the bit.
     */
    private void updateRange(int off, int n, float lr, float wd) {
        int parts = independentRanges() ? ParallelParts.parts(n, parallelGrain) : 1;
        if (parts <= 1) {
            update(off, n, lr, wd);
            return;
        }
        int lanes = SPECIES.length(), vectors = n / lanes;
        int pieces = parts * PIECES_PER_PART;
        ParallelParts.run(pieces, p -> {
            int from = off + (int) ((long) vectors * p / pieces) * lanes;
            int to = p == pieces - 1 ? off + n : off + (int) ((long) vectors * (p + 1) / pieces) * lanes;
            update(from, to - from, lr, wd);
        });
    }

    /**
     * Pieces a split range is cut into per thread. One, as {@code SmallGemm} splits its products: each thread
     * updates the same half of the parameters every step, and keeps its half of the values, gradients and
     * moments in its own core's cache.
     */
    static final int PIECES_PER_PART = 1;

    /**
     * Ranges shorter than this many values per extra thread are updated on the caller's thread alone. 16k
     * values of Adam (a square root and two divisions each) take ~20 us, against a few for the hand-off:
     * W2's 256 x 256 layer (65,536 values) ran on one core at 1 << 16.
     */
    static final int DEFAULT_PARALLEL_GRAIN = 1 << 14;
    /** Not final only so that a test can split short ranges (the Vector API is slow until compiled). */
    static int parallelGrain = DEFAULT_PARALLEL_GRAIN;

    /**
     * True when {@link #update} of disjoint ranges may run at the same time on different threads: it
     * touches only its range of the values, gradients and state arrays and changes no field. False by
     * default, so that an optimizer written without threads in mind stays on one.
     */
    protected boolean independentRanges() { return false; }

    /** How many parameter values the last {@link #step()} visited: the dense entries plus the touched rows. */
    public final long lastStepSize() { return lastStepSize; }

    /** Called once per step, before any update, with the 1-based step number (Adam's bias correction). */
    protected void beginStep(long step) {}

    /**
     * Updates {@code params.values[offset, offset + length)} from the same range of
     * {@code params.grads} and of the state arrays.
     *
     * @param lr          the group's effective learning rate (base rate times its multiplier)
     * @param weightDecay the group's weight decay
     */
    protected abstract void update(int offset, int length, float lr, float weightDecay);

    /** The live state array registered under {@code name} in the constructor. */
    protected final float[] stateArray(String name) {
        float[] a = state.get(name);
        if (a == null) throw new IllegalArgumentException(kind + " has no state named " + name);
        return a;
    }

    /** The optimizer's configuration name ("sgd", "adamw"...). */
    public final String kind() { return kind; }

    /** The resolved groups in matching order, the implicit default group last. */
    public final List<Group> groups() { return groups; }

    @Override
    public final float learningRate() { return learningRate; }

    @Override
    public final void setLearningRate(float lr) {
        learningRate = LR.require(kind, "lr", lr);
    }

    @Override
    public final long steps() { return steps; }

    /** Copies of the state arrays, in a fixed order; safe to keep while training goes on. */
    @Override
    public final Map<String, float[]> state() {
        Map<String, float[]> copy = new LinkedHashMap<>();
        state.forEach((name, a) -> copy.put(name, a.clone()));
        return Collections.unmodifiableMap(copy);
    }

    @Override
    public final void restore(long steps, Map<String, float[]> saved) {
        if (steps < 0) throw new IllegalArgumentException(kind + ": cannot restore a negative step count " + steps);
        if (!saved.keySet().equals(state.keySet())) {
            throw new IllegalArgumentException(kind + " state needs arrays " + state.keySet() + ", got " + saved.keySet());
        }
        for (Map.Entry<String, float[]> e : saved.entrySet()) {
            if (e.getValue().length != params.size()) {
                throw new IllegalArgumentException(kind + " state '" + e.getKey() + "' has " + e.getValue().length
                        + " floats but the parameters have " + params.size());
            }
        }
        saved.forEach((name, a) -> System.arraycopy(a, 0, state.get(name), 0, a.length));
        this.steps = steps;
    }

    @Override
    public String toString() {
        return kind + "(lr=" + learningRate + ", groups=" + Arrays.toString(groups.stream().map(Group::name).toArray()) + ")";
    }
}
