package dev.nnlab.bench;

import java.util.List;
import java.util.Map;

/**
 * One of the reference workloads on full MNIST (see WORKLOADS.md): which family trains it and the
 * parameters a user would give that family for it. Everything not named here is the family's
 * default, so the benchmark measures what {@code ./nnlab run} would run: in particular
 * {@code logEvery} stays at its default of 50 steps, with the layer statistics measured on that
 * cadence.
 *
 * @param params  user-level parameters, resolved against the family's schema before the run
 * @param target  the test accuracy the workload must reach after {@code epochs} (nnlab's quality target)
 */
record MnistWorkload(String id, String familyId, String summary, Map<String, Object> params, double target) {

    /** Every reference workload trains on the whole training set and reports test accuracy on MNIST's 10k. */
    static final String DATASET = "mnist";

    /** W1: softmax regression, SGD lr 0.01 momentum 0.9, batch 64, 5 epochs. */
    static final MnistWorkload W1 = new MnistWorkload("W1", "softmax",
            "softmax regression 784->10 on MNIST, SGD lr 0.01 momentum 0.9, batch 64, 5 epochs",
            Map.of("optimizer", "momentum", "lr", 0.01, "momentum", 0.9, "batchSize", 64, "epochs", 5,
                    "valFraction", 0.0, "preprocess", "scale"),
            0.917);

    /** W2: MLP 784-256-256-10, ReLU, He init, Adam lr 1e-3, batch 64, 5 epochs. */
    static final MnistWorkload W2 = new MnistWorkload("W2", "mlp",
            "MLP 784-256-256-10 ReLU He init on MNIST, Adam lr 1e-3, batch 64, 5 epochs",
            Map.of("hidden", List.of(256, 256), "activation", "relu", "init", "he", "optimizer", "adam", "lr", 0.001,
                    "batchSize", 64, "epochs", 5, "valFraction", 0.0, "preprocess", "scale"),
            0.978);

    MnistWorkload {
        params = Map.copyOf(params);
    }

    int epochs() { return ((Number) params.get("epochs")).intValue(); }

    int batchSize() { return ((Number) params.get("batchSize")).intValue(); }

    double lr() { return ((Number) params.get("lr")).doubleValue(); }
}
