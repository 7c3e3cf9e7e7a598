package dev.nnlab.training;

import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.loss.Loss;
import dev.nnlab.spi.ParamSpec;
import dev.nnlab.spi.RunSink;
import dev.nnlab.tensor.Tensor;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The loss Hessian's spectrum at the final weights, for a family that opts in with the parameter
 * {@code hessian: true} ({@link #PARAM}): {@link LanczosSpectrum} on Hessian-vector products from
 * central differences of gradients, {@code Hv ~ (g(w + eps v) - g(w - eps v)) / (2 eps)}, over a fixed
 * subset of the training data (the first {@value #SAMPLES} samples, spread evenly) in evaluation mode.
 * It is the Hessian of the data loss over the trainable parameters; an L2 penalty, which the
 * optimizer applies, would add {@code weightDecay} to every eigenvalue.
 *
 * <p>Reported as run metrics at the final step: {@code hessian_eig_top1..3} (the largest Ritz values),
 * {@code hessian_eig_min} (the smallest) and {@code hessian_negative_share} (the stochastic-Lanczos-
 * quadrature estimate of the share of the Hessian's eigenvalues below {@code -0.001 * max|eigenvalue|});
 * and as the artifact {@value #ARTIFACT}: every Ritz value with its weight, the chart of the density.
 * A network above {@value #MAX_PARAMETERS} parameters is skipped with an INFO event that says so.
 *
 * <p>Stability: evolving.
 */
public final class HessianAtEnd {
    public static final ParamSpec PARAM = ParamSpec.ofBool("hessian", false,
            "At the end, estimate the loss Hessian's extreme eigenvalues and the share of negative ones (Lanczos); "
                    + "small networks only (at most 250,000 parameters).");
    public static final String ARTIFACT = "hessian_spectrum.json";
    public static final String MEDIA_TYPE = "application/vnd.nnlab.hessian-spectrum+json";
    public static final String TOP = "hessian_eig_top";
    public static final String MIN = "hessian_eig_min";
    public static final String NEGATIVE_SHARE = "hessian_negative_share";
    /** The Lanczos basis holds steps x parameters doubles: 30 x 250,000 x 8 bytes = 60 MB. */
    public static final int MAX_PARAMETERS = 250_000;
    static final int SAMPLES = 512, STEPS = 30, PROBES = 1, TOP_K = 3;
    /** Central differences: error O(eps^2) from the third derivative against float rounding / eps. */
    static final double RELATIVE_EPS = 5e-3;

    private HessianAtEnd() {}

    /** Whether the job asked for it. */
    public static boolean requested(java.util.Map<String, Object> params) {
        return params.get(PARAM.name()) instanceof Boolean b && b;
    }

    /** Estimates and reports the spectrum, or an INFO event saying why it was skipped. Leaves the parameters as they were. */
    public static void report(RunSink sink, long step, double epoch, Sequential model, Loss loss, LabelledData train, long seed) {
        Parameters params = model.params();
        int[] coords = trainableCoordinates(params);
        if (coords.length > MAX_PARAMETERS) {
            sink.event(step, RunSink.Severity.INFO, "hessian_skipped", String.format(Locale.ROOT,
                            "the Hessian spectrum was not estimated: %,d trainable parameters exceed the limit of %,d",
                            coords.length, MAX_PARAMETERS),
                    "Lanczos keeps " + STEPS + " vectors of the parameters' size; use a smaller network to see its Hessian.");
            return;
        }
        if (train.size() == 0) return;
        Tensor x = LayerMonitor.probeRows(train.features(), SAMPLES);
        int n = x.rows();
        int[] y = new int[n];
        for (int j = 0; j < n; j++) y[j] = train.labels()[(int) ((long) j * train.size() / n)];
        float[] w0 = params.values.clone();
        float[] g0 = params.grads.clone();
        double wNorm = 0;
        for (int c : coords) wNorm += (double) w0[c] * w0[c];
        double eps = RELATIVE_EPS * Math.max(1, Math.sqrt(wNorm));
        FiniteDifference hvp = new FiniteDifference(model, loss, x, y, coords, w0, eps);
        LanczosSpectrum.Result r;
        try {
            r = LanczosSpectrum.estimate(coords.length, hvp, STEPS, PROBES, TOP_K, seed ^ 0x4E55L);
        } catch (IllegalStateException e) {
            sink.event(step, RunSink.Severity.INFO, "hessian_skipped", "the Hessian spectrum was not estimated: " + e.getMessage(),
                    "Layers such as dropout and batch norm back-propagate only after a training-mode forward; "
                            + "the Hessian is taken in evaluation mode.");
            return;
        } finally {
            System.arraycopy(w0, 0, params.values, 0, w0.length);
            System.arraycopy(g0, 0, params.grads, 0, g0.length);
        }
        for (int i = 0; i < r.top().length; i++) sink.metric(TOP + (i + 1), step, epoch, r.top()[i]);
        sink.metric(MIN, step, epoch, r.min());
        sink.metric(NEGATIVE_SHARE, step, epoch, r.negativeShare());
        sink.artifact(ARTIFACT, MEDIA_TYPE, toJson(r, coords.length, n, eps).getBytes(StandardCharsets.UTF_8));
    }

    /** The artifact: numbers, then two sentences that say what they are. Non-finite numbers become null. */
    static String toJson(LanczosSpectrum.Result r, int parameters, int samples, double eps) {
        StringBuilder b = new StringBuilder("{");
        b.append("\"parameters\":").append(parameters).append(",\"samples\":").append(samples)
                .append(",\"steps\":").append(STEPS).append(",\"probes\":").append(PROBES)
                .append(",\"epsilon\":").append(num(eps)).append(",\"products\":").append(r.products())
                .append(",\"max\":").append(num(r.max())).append(",\"min\":").append(num(r.min()))
                .append(",\"negativeShare\":").append(num(r.negativeShare())).append(",\"tolerance\":").append(num(r.tolerance()))
                .append(",\"top\":").append(array(r.top())).append(",\"ritzValues\":").append(array(r.ritzValues()))
                .append(",\"weights\":").append(array(r.weights()))
                .append(",\"method\":\"Lanczos with full reorthogonalisation on central-difference Hessian-vector products of the data loss, "
                        + "evaluation mode, ").append(samples).append(" training samples; weights are stochastic Lanczos quadrature weights (they sum to 1)\"")
                .append(",\"negativeShareMeans\":\"the estimated share of the Hessian's eigenvalues below -tolerance "
                        + "(the quadrature weight of the negative Ritz values)\"}");
        return b.toString();
    }

    private static String num(double v) { return Double.isFinite(v) ? Double.toString(v) : "null"; }

    private static String array(double[] a) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) b.append(i == 0 ? "" : ",").append(num(a[i]));
        return b.append(']').toString();
    }

    private static int[] trainableCoordinates(Parameters params) {
        int count = 0;
        for (Parameters.Entry e : params.entries()) if (e.trainable()) count += e.size();
        int[] out = new int[count];
        int at = 0;
        for (Parameters.Entry e : params.entries()) {
            if (!e.trainable()) continue;
            for (int k = 0; k < e.size(); k++) out[at++] = e.offset() + k;
        }
        return out;
    }

    /** Hessian-vector products of the model's loss on fixed data, by central differences of its gradient. */
    static final class FiniteDifference implements LanczosSpectrum.Operator {
        private final Sequential model;
        private final Loss loss;
        private final Tensor x;
        private final int[] y, coords;
        private final float[] w0;
        private final double eps;
        private final double[] plus;

        FiniteDifference(Sequential model, Loss loss, Tensor x, int[] y, int[] coords, float[] w0, double eps) {
            this.model = model;
            this.loss = loss;
            this.x = x;
            this.y = y;
            this.coords = coords;
            this.w0 = w0;
            this.eps = eps;
            this.plus = new double[coords.length];
        }

        @Override
        public void apply(double[] v, double[] out) {
            gradient(v, eps, plus);
            gradient(v, -eps, out);
            for (int i = 0; i < out.length; i++) out[i] = (plus[i] - out[i]) / (2 * eps);
        }

        /** The loss gradient at {@code w0 + h v} into {@code into}. */
        void gradient(double[] v, double h, double[] into) {
            Parameters p = model.params();
            System.arraycopy(w0, 0, p.values, 0, w0.length);
            for (int i = 0; i < coords.length; i++) p.values[coords[i]] = (float) (w0[coords[i]] + h * v[i]);
            Tensor out = model.forward(x, false);
            loss.forward(out, y);
            p.zeroGrad();
            model.backward(loss.backward());
            for (int i = 0; i < coords.length; i++) into[i] = p.grads[coords[i]];
        }
    }

}
