package dev.nnlab.plugins.lstm;

import dev.nnlab.data.SequenceSamples;
import dev.nnlab.optim.Optimizers;
import dev.nnlab.spi.MemoryEstimate;
import dev.nnlab.training.CommonSetup;

import java.util.Map;

/**
 * The heap one trial of the recurrent family needs, counted in longs as {@link RecurrentLanguageModel#build}
 * and {@link SequenceTaskTraining#build} build the network, without allocating: so that a configuration
 * such as 1500 hidden units x 1024 rows x 2000 steps is refused at planning instead of failing with
 * OutOfMemoryError once it runs.
 *
 * <p>Per recurrent layer and token (row x step): the output, the gate pre-activations and their
 * gradient, the step's starting state, the input gradient (and the LSTM's tanh(c), the GRU's second
 * pre-activation gradient), and the transposed copies the backward products use; per layer the
 * transposed W_hh and W_ih, and {@code [x | h_{t-1} | 1]} for the weight gradients. The decoder: logits
 * (their gradient is written in place), their transpose for the input-gradient product, its input,
 * {@code [x | 1]} and its input gradient, and its transposed weight. A character model's sampling twin
 * adds one more copy of the parameters and gradients.
 */
final class RecurrentMemory {
    private RecurrentMemory() {}

    /**
     * @param sampleShape {@code ()} for token streams; {@code (steps, channels)} for a sequence task
     * @param classes     the vocabulary (token streams), 1 (adding) or the copy alphabet
     */
    static MemoryEstimate estimate(Map<String, Object> p, int[] sampleShape, int classes) {
        String cell = (String) p.get("cell");
        long layers = num(p, "layers"), h = num(p, "hidden"), e = num(p, "embedding"), rows = num(p, "batchSize");
        long gates = switch (cell) {
            case "lstm" -> 4;
            case "gru" -> 3;
            default -> 1;
        };
        long state = cell.equals("lstm") ? 2 * h : h;
        boolean task = sampleShape.length == 2;
        boolean adding = task && sampleShape[1] == 2;
        long steps = task ? sampleShape[0] : num(p, "bptt");
        long vocab = task ? (adding ? 0 : SequenceSamples.ALPHABET + 2) : classes;
        long outputs = adding ? 1 : task ? SequenceSamples.ALPHABET : classes;
        boolean dropout = ((Number) p.get("dropout")).doubleValue() > 0;

        long values = 0, perToken = 0;
        long in = adding ? 2 : e;
        if (!adding) {
            values += vocab * e;                                    // embedding
            perToken += 1 + e + (dropout ? 3 * e : 0);              // ids, embedding output, dropout mask and output
        } else {
            perToken += 2;                                          // the input copy
        }
        for (long l = 0; l < layers; l++) {
            long w = gates * h;
            values += in * w + h * w + w + (cell.equals("gru") ? w : 0);
            perToken += h + w + state + w + in + (cell.equals("lstm") ? h : 0) + (cell.equals("gru") ? w : 0)
                    + in + w                                        // transposed input and pre-activation gradient (RowMajorProducts)
                    + in + h + 1;                                   // [x | h_{t-1} | 1] of the one weight-gradient product
            if (dropout) perToken += 3 * h;
            values += w * h + w * in;                               // transposed W_hh and W_ih (scratch, counted as values)
            in = h;
        }
        long decoder = h * outputs + outputs;
        values += decoder + decoder;                                // the decoder and its transposed weight
        perToken += adding ? 0 : 2 * outputs + 2 * h + h + 1;       // logits (gradient in place) and their transpose, input and its gradient, [x | 1]
        long trainable = values;
        boolean characterTwin = !task && classes <= 1000;           // character vocabularies are small: TextSamples' stepper
        long twin = characterTwin ? trainable : 0;

        long floatBytes = Float.BYTES;
        long stateArrays = Optimizers.stateArrays(CommonSetup.optimizerSpec(p));
        long tokens = sat(rows, steps);
        return MemoryEstimate.of(
                sat(floatBytes, values + twin),
                sat(floatBytes, values + twin),
                sat(floatBytes * stateArrays, trainable),
                sat(sat(floatBytes, tokens), perToken),
                sat(floatBytes, trainable));
    }

    private static long num(Map<String, Object> p, String name) { return ((Number) p.get(name)).longValue(); }

    private static long sat(long a, long b) {
        return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }
}
