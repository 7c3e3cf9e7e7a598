package dev.nnlab.bench;

import java.util.List;

/**
 * One reference workload of WORKLOADS.md as the harness runs it: what is measured, which nnlab
 * family trains it, and the arguments every peer script of the workload receives besides
 * {@code --workload --data-dir --threads --epochs --seed}.
 *
 * @param nnlabFamily  the family that trains it; "kernel" for W0, which calls the SGEMM directly
 * @param nnlabRunner  whether the nnlab side of this harness can run it yet ({@link NnlabWorkloadMain})
 * @param epochs       the workload's own epoch count; {@code --epochs} overrides it on both sides
 * @param peerArgs     workload-specific arguments for the peer scripts
 * @param peersCostly  the peers take minutes here (W3-W5 on PyTorch): they are measured only when nnlab's side
 *                     is too, since without it there is no ratio to take
 */
record Workload(String id, String summary, String unit, String qualityUnit, String nnlabFamily, boolean nnlabRunner,
                int epochs, List<String> peerArgs, boolean peersCostly) {

    /**
     * Rounds per side when {@code --rounds} is not given. W0-W2 take seconds a measurement, and a VM's speed
     * swings by up to 1.7x from one minute to the next (measured with other processes at ~0 cores: the
     * hypervisor), so a median of 2 there is mostly the swing; 5 alternating rounds cost under a minute more.
     */
    static final int SHORT_ROUNDS = 5;
    static final int LONG_ROUNDS = 2;

    Workload {
        peerArgs = List.copyOf(peerArgs);
    }

    /** The rounds this workload runs when the user did not choose: more for the ones that take seconds. */
    int defaultRounds() {
        return switch (id) {
            case "W0", "W1", "W2" -> SHORT_ROUNDS;
            default -> LONG_ROUNDS;
        };
    }

    static final Workload W0 = new Workload("W0", "SGEMM 1024x1024x1024, GFLOPS on --threads threads (and 1)",
            "GFLOPS", null, "kernel", true, 0, List.of("--size", "1024", "--warmup", "8", "--reps", "10"), false);
    static final Workload W1 = new Workload("W1", MnistWorkload.W1.summary(), "samples/s", "test_acc", "softmax", true,
            MnistWorkload.W1.epochs(), List.of("--batch-size", "64", "--lr", "0.01", "--warmup-steps", String.valueOf(NnlabWorkloadMain.WARMUP_STEPS)), false);
    static final Workload W2 = new Workload("W2", MnistWorkload.W2.summary(), "samples/s", "test_acc", "mlp", true,
            MnistWorkload.W2.epochs(), List.of("--batch-size", "64", "--lr", "0.001", "--warmup-steps", String.valueOf(NnlabWorkloadMain.WARMUP_STEPS)), false);
    static final Workload W3 = new Workload("W3", "CNN conv32-conv64-fc128 on MNIST, Adam 1e-3, batch 64, 2 epochs",
            "samples/s", "test_acc", "cnn", true, 2, List.of("--batch-size", "64", "--lr", "0.001", "--warmup-steps", String.valueOf(ImageWorkload.PEER_WARMUP_STEPS)), true);
    static final Workload W4 = new Workload("W4", "ResNet-20 on Fashion-MNIST 32x32, SGD 0.1 momentum 0.9 wd 5e-4, batch 128, samples/s over batches 6-45, 1 epoch",
            "samples/s", "test_acc", "resnet", true, 1, List.of("--batch-size", "128", "--lr", "0.1"), true);
    static final Workload W5 = new Workload("W5", "2-layer LSTM 200 (Zaremba small) on PTB, BPTT 20, batch 20, 1 epoch",
            "tokens/s", "val_perplexity", "lstm", true, 1, List.of(), true);
    static final Workload W6 = new Workload("W6", "word2vec skip-gram on PTB train, dim 100, window 5, negative 5, 1 epoch",
            "words/s", "wordsim353_spearman", "word2vec", true, 1, List.of(), false);
    static final Workload W7 = new Workload("W7", "word2vec CBOW on PTB train, dim 100, window 5, negative 5, 1 epoch",
            "words/s", "wordsim353_spearman", "word2vec", true, 1, List.of(), false);
    static final Workload W6g = new Workload("W6g", "word2vec skip-gram on GCIDE (Debian dict-gcide, 5.4M words), dim 100, window 5, negative 5, 5 epochs",
            "words/s", "analogy_acc", "word2vec", true, 5, List.of(), false);
    static final Workload W7g = new Workload("W7g", "word2vec CBOW on GCIDE (Debian dict-gcide, 5.4M words), dim 100, window 5, negative 5, 5 epochs",
            "words/s", "analogy_acc", "word2vec", true, 5, List.of(), false);

    static final List<Workload> ALL = List.of(W0, W1, W2, W3, W4, W5, W6, W7, W6g, W7g);

    static Workload find(String id) {
        return ALL.stream().filter(w -> w.id.equalsIgnoreCase(id)).findFirst().orElse(null);
    }

    /** The epochs both sides run: the override when given (for checking the harness), else the workload's. */
    int epochs(Integer override) {
        return override != null && epochs > 0 ? override : epochs;
    }
}
