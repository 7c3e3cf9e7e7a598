package dev.nnlab.bench;

import java.nio.file.Path;

/**
 * What one {@code ./nnlab bench} invocation asked for.
 *
 * @param pluginsDir       where the nnlab families are loaded from
 * @param threads          threads for both sides: nnlab's kernel threads and the training job's, torch's
 *                         intra-op threads, OpenBLAS's for W0, the word2vec workers
 * @param rounds           how many times each side runs, alternating (nnlab, peer, nnlab, peer); null: each
 *                         workload's own default ({@link Workload#defaultRounds()})
 * @param peers            whether to measure the peers at all
 * @param epochs           overrides every workload's epochs on both sides (to check the harness quickly); null keeps them
 * @param quietWaitSeconds how long to wait for a quiet machine before each measurement (0: do not wait)
 * @param dataset          overrides W1/W2's dataset on the nnlab side only (tests use the shipped mnist-10k); null: mnist
 */
record BenchSettings(Path dataDir, Path pluginsDir, int threads, Integer rounds, boolean peers, Integer epochs,
                     double quietWaitSeconds, String dataset) {

    BenchSettings {
        if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        if (rounds != null && rounds < 1) throw new IllegalArgumentException("--rounds must be >= 1, got " + rounds);
        if (epochs != null && epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        if (quietWaitSeconds < 0) throw new IllegalArgumentException("--quiet-wait must be >= 0, got " + quietWaitSeconds);
    }

    /** The rounds each side of {@code w} runs: the user's choice, else the workload's default. */
    int rounds(Workload w) {
        return rounds != null ? rounds : w.defaultRounds();
    }
}
