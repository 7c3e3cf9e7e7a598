package dev.nnlab.plugins.mlp;

import dev.nnlab.spi.MemoryEstimate;
import dev.nnlab.training.CommonSetup;

import java.util.List;
import java.util.Map;

/**
 * The heap one MLP trial needs, counted layer by layer as {@link MultilayerPerceptron#train} builds
 * it, in longs and without allocating: the configurations worth refusing are the ones whose
 * parameter arrays could not even be created.
 */
final class MlpMemory {
    private MlpMemory() {}

    static MemoryEstimate estimate(Map<String, Object> params, int[] sampleShape, int classes) {
        @SuppressWarnings("unchecked")
        List<Number> hidden = (List<Number>) params.get("hidden");
        String activation = (String) params.get("activation");
        boolean maxout = activation.equals("maxout");
        long pieces = ((Number) params.get("maxoutPieces")).longValue();
        boolean batchNorm = (Boolean) params.get("batchNorm");
        boolean dropout = ((Number) params.get("dropout")).doubleValue() > 0;
        long in = 1;
        for (int d : sampleShape) in *= d;
        long values = 0, trainable = 0;
        long perSample = in;                                   // the mini-batch copy of the input
        for (Number width : hidden) {
            long w = width.longValue();
            long out = maxout ? w * pieces : w;
            values += in * out + out;                          // Dense weight and bias
            trainable += in * out + out;
            perSample += out + in;                             // Dense output and input gradient
            if (batchNorm) {
                values += 4 * out;                             // gamma, beta, running mean and variance
                trainable += 2 * out;
                perSample += 2 * out;                          // output, input gradient (x-hat is recomputed, not kept)
            }
            if (activation.equals("prelu")) {
                values += out;
                trainable += out;
            }
            long next = maxout ? w : out;
            perSample += next + out + (maxout ? w : 0);         // output, input gradient, Maxout's argmax
            if (dropout) perSample += 3 * next;                // output, mask, input gradient
            in = next;
        }
        values += in * classes + classes;
        trainable += in * classes + classes;
        perSample += classes + in + 2L * classes;              // logits, their input gradient, loss buffers
        return CommonSetup.memoryEstimate(params, values, trainable, perSample);
    }
}
