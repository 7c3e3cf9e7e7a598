package dev.nnlab.plugins.lstm;

import dev.nnlab.data.TokenStreams;
import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.layers.Recurrent;
import dev.nnlab.spi.RunSink;
import dev.nnlab.spi.TrainingJob;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What a character model writes, once per epoch: from a fixed prompt (the first line of the
 * training text, at most {@value #PROMPT_CHARS} characters, so every run on a dataset starts alike)
 * it samples {@value #LENGTH} characters at temperature 0.5 (cautious, repetitive) and 1.0 (the
 * model's own distribution), stored as {@code text_sample_epoch_NNN.txt} ({@code text/plain}), which
 * the compare view shows as text side by side between runs.
 *
 * <p>Sampling runs a twin of the model built for one step per forward, with the trained values
 * copied in (the layouts are equal: no parameter depends on the window length), in evaluation mode,
 * the state carried from character to character. Draws are seeded by the run's seed and the epoch.
 */
final class TextSamples {
    static final int PROMPT_CHARS = 40, LENGTH = 300;
    static final double[] TEMPERATURES = {0.5, 1.0};

    private final Sequential model, stepper;
    private final TokenStreams data;
    private final int seed;
    private final int[] prompt;

    TextSamples(TrainingJob job, Sequential model, TokenStreams data) {
        this.model = model;
        this.data = data;
        this.seed = job.intParam("seed");
        this.stepper = RecurrentLanguageModel.build(job, data.vocabulary().size(), 1);
        for (Layer l : stepper.layers()) if (l instanceof Recurrent r) r.carryState(true);
        int[] train = data.train();
        int len = 0;
        while (len < Math.min(PROMPT_CHARS, train.length) && !data.vocabulary().token(train[len]).equals("\n")) len++;
        this.prompt = java.util.Arrays.copyOf(train, Math.max(1, len));
    }

    /** The prompt as text. */
    String prompt() { return decode(prompt, prompt.length); }

    /** Samples at both temperatures and stores them as one text artifact. */
    void report(RunSink sink, int epoch) {
        StringBuilder out = new StringBuilder();
        for (double temperature : TEMPERATURES) {
            out.append(String.format(Locale.ROOT, "--- temperature %.1f, prompt \"%s\" ---%n", temperature, prompt()));
            out.append(sample(temperature, new Rng(seed * 1_000_003L + epoch * 31L + (long) (temperature * 10))));
            out.append("\n\n");
        }
        sink.artifact(String.format(Locale.ROOT, "text_sample_epoch_%03d.txt", epoch), "text/plain; charset=utf-8",
                out.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The prompt followed by {@value #LENGTH} sampled characters. */
    String sample(double temperature, Rng rng) {
        System.arraycopy(model.params().values, 0, stepper.params().values, 0, model.params().size());
        for (Layer l : stepper.layers()) if (l instanceof Recurrent r) r.resetState();
        int vocab = data.vocabulary().size();
        int[] text = new int[prompt.length + LENGTH];
        System.arraycopy(prompt, 0, text, 0, prompt.length);
        Tensor in = Tensor.zeros(1, 1);
        Tensor logits = null;
        for (int i = 0; i < text.length; i++) {
            if (i >= prompt.length) text[i] = draw(logits, vocab, temperature, rng);
            in.data[0] = text[i];
            logits = stepper.forward(in, false);
        }
        return decode(text, text.length);
    }

    /** A token from softmax(logits / temperature), in double so a low temperature cannot overflow. */
    static int draw(Tensor logits, int vocab, double temperature, Rng rng) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < vocab; j++) max = Math.max(max, logits.at(j));
        double[] p = new double[vocab];
        double sum = 0;
        for (int j = 0; j < vocab; j++) sum += p[j] = Math.exp((logits.at(j) - max) / temperature);
        double u = rng.nextDouble() * sum;
        for (int j = 0; j < vocab; j++) {
            u -= p[j];
            if (u <= 0) return j;
        }
        return vocab - 1;
    }

    private String decode(int[] ids, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String t = data.vocabulary().token(ids[i]);
            b.append(ids[i] == data.vocabulary().unkId() ? "\uFFFD" : t);
        }
        return b.toString();
    }
}
