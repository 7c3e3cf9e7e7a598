package dev.nnlab.nn.layers;

import dev.nnlab.kernels.WideGemm;
import dev.nnlab.kernels.SmallGemm;
import dev.nnlab.kernels.Transpose;
import dev.nnlab.kernels.VectorOps;
import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Range;
import dev.nnlab.nn.init.Initializer;
import dev.nnlab.nn.init.Uniform;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the recurrent layers ({@link Rnn}, {@link Lstm}, {@link Gru}) share: a sequence
 * {@code x (N, T, C)} -> hidden states {@code (N, T, H)}, with {@code G} gate blocks of {@code H}
 * units each. Parameters: {@code <name>.weight_ih (C, G*H)}, {@code <name>.weight_hh (H, G*H)},
 * {@code <name>.bias (G*H)} (and the GRU's {@code <name>.bias_hh (G*H)}).
 *
 * <p>Speed comes from doing everything that does not depend on the previous step at once, as
 * oneDNN does and PyTorch 1.13's CPU LSTM does not: the input projection of all {@code N*T} rows is
 * one GEMM before the time loop; each step is one {@code (N, H) x (H, G*H)} GEMM plus one fused pass
 * over the gates; after the backward loop {@code dW_ih}, {@code dW_hh}, the biases and {@code dx} are
 * one GEMM (or one column sum) each over all steps. Step {@code t} of a {@code (N, T, W)} buffer is
 * the strided view at offset {@code t*W} with row stride {@code T*W}, so no step is ever copied out.
 *
 * <p>State: the state of one sample is {@code stateWidth()} floats (the hidden vector, and for the
 * LSTM the cell after it). Each forward starts from the initial state: zeros, unless
 * {@link #carryState} is on and the previous forward had the same N (truncated backpropagation
 * through time: the state flows on across windows, the gradient stops at the window's start), or
 * a state was given with {@link #setInitialState} (which wins over a carried one). {@link #resetState} goes back to zeros.
 * {@link #initialStateGradient} is dL/d(initial state) of the last backward (what a gradient check
 * of the carried state needs).
 *
 * <p>Default initialisation is PyTorch's: every weight and bias uniform(-1/sqrt(H), 1/sqrt(H)).
 *
 * <p>Stability: experimental.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public abstract class Recurrent implements Layer, OverwritesGradients {
    /** Hidden units. */
    public static final Range HIDDEN = Range.atLeast(1);

    protected final int hidden, gates, width;
    private final Initializer init;
    private final boolean hhBias;
    protected String name;
    protected int steps, inputSize;
    protected Tensor wih, whh, bias, biasHh;
    private Tensor wihGrad, whhGrad, biasGrad, biasHhGrad;
    private boolean carry;
    private Tensor carried, given;
    protected Tensor x, y, dx;
    /** Per step t: the state the step starts from, (N, T, stateWidth). */
    protected Tensor prev;
    /** Pre-activation gates, turned into activated gates in place by the forward steps, (N, T, G*H). */
    protected Tensor act;
    /** Gradients of the input-side and recurrent-side pre-activations, (N, T, G*H); the same tensor except in the GRU. */
    protected Tensor dPre, dRec;
    /** Gradient flowing back into the state, (N, stateWidth). */
    protected Tensor dState;
    /**
     * W_hh transposed, (G*H, Hp), refreshed at each backward: the per-step product then packs no transpose.
     * Hp is H rounded up to whole vectors, the columns past H zero (see {@link #backIntoHidden}).
     */
    private float[] whhT;
    private int whhTLd;
    /** g_t W_hh^T of one step, (N, Hp), when Hp > H. */
    private float[] backScratch = new float[0];
    private final RowMajorProducts products = new RowMajorProducts();
    /** {@code [x | h_{t-1} | 1]} per row, for the one weight-gradient product of {@link #backward}. */
    private float[] stacked = new float[0];
    private boolean overwrite;
    protected double firstStepGradNorm, lastStepGradNorm;

    protected Recurrent(String kind, int hidden, int gates, Initializer init, boolean hhBias) {
        this.hidden = HIDDEN.require(kind, "hidden", hidden);
        this.gates = gates;
        this.width = gates * hidden;
        this.init = init == null ? new Uniform(1.0 / Math.sqrt(hidden)) : init;
        this.hhBias = hhBias;
    }

    /** Floats of state per sample: H, or 2H for the LSTM's hidden and cell. */
    public int stateWidth() { return hidden; }

    public int hidden() { return hidden; }

    /** Truncated BPTT: each forward starts where the previous one (of the same batch size) ended. */
    public void carryState(boolean on) { this.carry = on; }

    /** Forgets any carried or given state: the next forward starts from zeros. */
    public void resetState() {
        carried = null;
        given = null;
    }

    /** Every forward of batch size N starts from {@code state (N, stateWidth)} (copied) until {@link #resetState}. */
    public void setInitialState(Tensor state) {
        if (state.rank() != 2 || state.dim(1) != stateWidth()) {
            throw new IllegalArgumentException(name + ": initial state must be (N, " + stateWidth() + "), got " + state);
        }
        given = state.copy();
    }

    /** The state after the last step of the last forward, (N, stateWidth); a copy. */
    public Tensor finalState() {
        if (carried == null) throw new IllegalStateException(name + ": no forward yet");
        return carried.copy();
    }

    /**
     * Makes {@code state (N, stateWidth)} (copied) the carried state, as if a forward had just ended
     * there: what training puts back after an evaluation in the middle of a stream.
     */
    public void restoreCarriedState(Tensor state) {
        if (state.rank() != 2 || state.dim(1) != stateWidth()) {
            throw new IllegalArgumentException(name + ": carried state must be (N, " + stateWidth() + "), got " + state);
        }
        given = null;
        carried = state.copy();
    }

    /** The carried state (a copy), or null when the next forward would start from zeros. */
    public Tensor carriedState() { return carried == null ? null : carried.copy(); }

    /** dL/d(initial state) of the last backward, (N, stateWidth). */
    public Tensor initialStateGradient() {
        if (dState == null) throw new IllegalStateException(name + ": no backward yet");
        return dState;
    }

    /**
     * Statistics of the last forward and backward, by name: {@code bptt_grad_first} and
     * {@code bptt_grad_last} are the L2 norms (over the batch) of dL/dh at the window's first and
     * last step: where backpropagation through time vanishes or explodes, the first is far from the
     * last. Cells add their gate saturations.
     */
    public Map<String, Double> statistics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("bptt_grad_first", firstStepGradNorm);
        m.put("bptt_grad_last", lastStepGradNorm);
        return m;
    }

    @Override
    public int[] build(String name, int[] inputShape, Parameters.Builder params) {
        this.name = name;
        if (inputShape.length != 2 || inputShape[0] < 1 || inputShape[1] < 1) {
            throw new IllegalArgumentException(name + ": a recurrent layer takes (T, C) per sample with T, C >= 1, got "
                    + Arrays.toString(inputShape));
        }
        steps = inputShape[0];
        inputSize = inputShape[1];
        params.add(name + ".weight_ih", inputSize, width);
        params.add(name + ".weight_hh", hidden, width);
        params.add(name + ".bias", width);
        if (hhBias) params.add(name + ".bias_hh", width);
        return new int[] {steps, hidden};
    }

    @Override
    public void bind(Parameters p) {
        wih = p.value(name + ".weight_ih");
        wihGrad = p.grad(name + ".weight_ih");
        whh = p.value(name + ".weight_hh");
        whhGrad = p.grad(name + ".weight_hh");
        bias = p.value(name + ".bias");
        biasGrad = p.grad(name + ".bias");
        if (hhBias) {
            biasHh = p.value(name + ".bias_hh");
            biasHhGrad = p.grad(name + ".bias_hh");
        }
    }

    @Override
    public void initialize(Rng rng) {
        init.fill(wih, inputSize, width, rng);
        init.fill(whh, hidden, width, rng);
        init.fill(bias, 1, width, rng);
        if (hhBias) init.fill(biasHh, 1, width, rng);
    }

    /** {@code x (N, T, C)} -> {@code (N, T, H)}. */
    @Override
    public Tensor forward(Tensor x, boolean training) {
        int n = BatchBuffers.batchSize(x, steps * inputSize, name);
        this.x = x;
        y = BatchBuffers.reuse(y, n, steps, hidden);
        act = BatchBuffers.reuse(act, n, steps, width);
        prev = BatchBuffers.reuse(prev, n, steps, stateWidth());
        ensureBuffers(n);
        Tensor start = given != null && given.rows() == n ? given : carry && carried != null && carried.rows() == n ? carried : null;
        if (start != null) {
            for (int s = 0; s < n; s++) System.arraycopy(start.data, start.offset + s * stateWidth(), prev.data, s * steps * stateWidth(), stateWidth());
        } else {
            for (int s = 0; s < n; s++) Arrays.fill(prev.data, s * steps * stateWidth(), (s * steps + 1) * stateWidth(), 0f);
        }
        // The input projection of every step at once.
        products.ab(n * steps, width, inputSize, x.data, x.offset, inputSize, wih.data, wih.offset, width, 0f,
                act.data, act.offset, width);
        VectorOps.addRowVector(n * steps, width, bias.data, bias.offset, act.data, act.offset);
        if (carried == null || carried.rows() != n) carried = Tensor.zeros(n, stateWidth());
        forwardSteps(n, carried);
        return y;
    }

    @Override public void overwriteGradients(boolean on) { overwrite = on; }

    @Override
    public List<String> parameterNames() {
        List<String> names = new ArrayList<>(List.of(name + ".weight_ih", name + ".weight_hh", name + ".bias"));
        if (hhBias) names.add(name + ".bias_hh");
        return names;
    }

    /** Cell-specific buffers sized for a batch of n. */
    protected void ensureBuffers(int n) {}

    /**
     * Runs the time loop on {@code act} (input projections with bias), filling {@code y}, the
     * activated gates in {@code act} and {@code prev} for steps 1..T-1, and the last state into {@code last}.
     */
    protected abstract void forwardSteps(int n, Tensor last);

    /** {@code dy (N, T, H)} -> {@code dx (N, T, C)}; adds the weight and bias gradients. */
    @Override
    public Tensor backward(Tensor dy) {
        BatchBuffers.sameSize(dy, y, name);
        int n = y.rows(), rows = n * steps;
        dPre = BatchBuffers.reuse(dPre, n, steps, width);
        dState = BatchBuffers.reuse(dState, n, stateWidth());
        dState.fill(0f);
        if (whhT == null) {
            int lanes = SmallGemm.lanes();
            whhTLd = (hidden + lanes - 1) / lanes * lanes;
            whhT = new float[width * whhTLd];
        }
        Transpose.transpose(hidden, width, whh.data, whh.offset, width, whhT, 0, whhTLd);
        backwardSteps(n, dy);
        Tensor dr = dRec == null ? dPre : dRec;
        dx = BatchBuffers.reuse(dx, n, steps, inputSize);
        products.abT(rows, inputSize, width, dPre.data, dPre.offset, width, wih.data, wih.offset, width, 0f,
                dx.data, dx.offset, inputSize);
        if (dr == dPre && biasHh == null && whhGrad.data == wihGrad.data && biasGrad.data == wihGrad.data
                && whhGrad.offset == wihGrad.offset + inputSize * width && biasGrad.offset == whhGrad.offset + hidden * width) {
            // W_ih, W_hh and the bias lie one after the other: [dW_ih; dW_hh; db] (+)= [x | h_{t-1} | 1]^T dPre in one
            // product, each element summed over the rows in row order as three separate products would.
            int k = inputSize + hidden + 1;
            if (stacked.length < rows * k) stacked = new float[rows * k];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(x.data, x.offset + r * inputSize, stacked, r * k, inputSize);
                System.arraycopy(prev.data, prev.offset + r * stateWidth(), stacked, r * k + inputSize, hidden);
                stacked[r * k + k - 1] = 1f;
            }
            WideGemm.gemm(true, k, width, rows, stacked, 0, k, dPre.data, dPre.offset, width, !overwrite,
                    wihGrad.data, wihGrad.offset, width);
        } else {
            if (overwrite) {
                wihGrad.fill(0f);
                whhGrad.fill(0f);
                biasGrad.fill(0f);
                if (biasHhGrad != null) biasHhGrad.fill(0f);
            }
            WideGemm.gemm(true, inputSize, width, rows, x.data, x.offset, inputSize,
                    dPre.data, dPre.offset, width, true, wihGrad.data, wihGrad.offset, width);
            // prev holds h_{t-1} in its first H columns (the LSTM's cell follows), so ld = stateWidth.
            WideGemm.gemm(true, hidden, width, rows, prev.data, prev.offset, stateWidth(),
                    dr.data, dr.offset, width, true, whhGrad.data, whhGrad.offset, width);
            VectorOps.sumRows(rows, width, dPre.data, dPre.offset, biasGrad.data, biasGrad.offset);
            if (biasHh != null) VectorOps.sumRows(rows, width, dr.data, dr.offset, biasHhGrad.data, biasHhGrad.offset);
        }
        return dx;
    }

    /**
     * Runs the time loop backwards: fills {@code dPre} (and {@code dRec}), leaves dL/d(initial state)
     * in {@code dState} (which starts at zero and carries dL/d(state) from step to step), and the
     * step gradient norms.
     */
    protected abstract void backwardSteps(int n, Tensor dy);

    /**
     * {@code dState[:, :H] += g_t W_hh^T} for the recurrent pre-activation gradient of step t. The
     * per-step products have only N (a batch, 20 in W5) rows: {@link SmallGemm#panel} reads both
     * operands where they lie, where the packed GEMM would pack all of W_hh again for each step.
     * When H is not a whole number of vectors (200 at 16 lanes) the product runs over the zero-padded
     * {@code Hp} columns into a scratch that is then added: {@link SmallGemm#panel} computes the columns
     * past the last whole vector one dot product at a time, down W_hh^T's columns, which took 2/3 of the
     * step's time in W5 (207 against 72 us for the same multiply-adds forward). Each sum is formed as
     * before and added to dState once: the same bits.
     */
    protected final void backIntoHidden(int n, Tensor g, int t) {
        if (whhTLd == hidden) {
            SmallGemm.panel(n, hidden, width, g.data, g.offset + t * width, steps * width, 1, whhT, 0, hidden, true, null, 0,
                    dState.data, dState.offset, stateWidth());
            return;
        }
        if (backScratch.length < n * whhTLd) backScratch = new float[n * whhTLd];
        SmallGemm.panel(n, whhTLd, width, g.data, g.offset + t * width, steps * width, 1, whhT, 0, whhTLd, false, null, 0,
                backScratch, 0, whhTLd);
        for (int s = 0; s < n; s++) {
            int d = dState.offset + s * stateWidth();
            VectorOps.add(hidden, dState.data, d, backScratch, s * whhTLd, dState.data, d);
        }
    }

    /** {@code out_t = h_{t-1} W_hh (+ out_t when accumulating)} for step t: out is (N, T, G*H). */
    protected final void recurrentProduct(int n, int t, Tensor out, boolean accumulate) {
        SmallGemm.panel(n, width, hidden, prev.data, prev.offset + t * stateWidth(), steps * stateWidth(), 1,
                whh.data, whh.offset, width, accumulate, null, 0, out.data, out.offset + t * width, steps * width);
    }

    /** Adds the squares of dL/dh (N, H) held at {@code base + s*stride} for each sample s. */
    protected static double sumSquares(float[] d, int base, int stride, int n, int h) {
        double s = 0;
        for (int i = 0; i < n; i++) s += VectorOps.sumSquares(h, d, base + i * stride);
        return s;
    }

    static float sigmoid(float v) { return (float) (1.0 / (1.0 + Math.exp(-v))); }

    /** Share of {@code count} values at {@code base + s*stride + j} (j < hidden) above 0.95 or below 0.05. */
    protected static double saturatedShare(float[] a, int base, int stride, int rows, int h) {
        long sat = 0;
        for (int r = 0; r < rows; r++) {
            int o = base + r * stride;
            for (int j = 0; j < h; j++) if (a[o + j] > 0.95f || a[o + j] < 0.05f) sat++;
        }
        return rows * (long) h == 0 ? 0 : (double) sat / ((long) rows * h);
    }
}
