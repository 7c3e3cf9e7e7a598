package dev.nnlab.runs;

import dev.nnlab.store.Artifact;
import dev.nnlab.store.Run;
import dev.nnlab.store.Store;
import dev.nnlab.sweep.SpecException;
import dev.nnlab.training.CheckpointArtifact;
import dev.nnlab.training.TransferLearning;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The weights a run starts from ({@code initFrom}, transfer learning) as its configuration records
 * them: the source run and the SHA-256 of its {@value CheckpointArtifact#NAME}. The content, not the
 * run, is what the trial needs, so it can be found by hash on another machine (artifact files are
 * stored by their SHA-256). If the content is gone when the trial starts (the source run was deleted
 * and no other run holds the same file), the trial fails naming the file.
 */
public record InitialWeights(long run, String sha256) {
    static final String PATH = "$.params." + TransferLearning.INIT_FROM;

    /**
     * The weights {@code params} ask for, or null when they ask for none; refuses (at {@code $.params.initFrom})
     * a run that does not exist or stored no final weights.
     */
    static InitialWeights resolve(Store store, String source, Map<String, Object> params, String trial) {
        long id = TransferLearning.initFrom(params);
        if (id == 0) return null;
        Optional<Run> run = store.runs().get(id);
        if (run.isEmpty()) {
            throw new SpecException(source, PATH, id + " is not a run of this store" + trial + "; initFrom takes the id of a "
                    + "finished run (./nnlab runs ls lists them)");
        }
        Optional<Artifact> ckpt = store.artifacts().get(id, CheckpointArtifact.NAME);
        if (ckpt.isEmpty()) {
            throw new SpecException(source, PATH, "run " + id + " (" + run.get().name() + ", " + run.get().status() + ") has no "
                    + CheckpointArtifact.NAME + trial + "; only a run that finished stores its final weights");
        }
        InitialWeights w = new InitialWeights(id, ckpt.get().sha256());
        if (!Files.isRegularFile(w.file(store))) {
            throw new SpecException(source, PATH, "the weights of run " + id + " (" + w.sha256 + ") are missing from "
                    + store.artifacts().directory() + trial);
        }
        return w;
    }

    /** Where the content of these weights lives in {@code store}. */
    Path file(Store store) {
        return store.artifacts().file(new Artifact(run, CheckpointArtifact.NAME, CheckpointArtifact.MEDIA_TYPE, sha256, 0, null));
    }
}
