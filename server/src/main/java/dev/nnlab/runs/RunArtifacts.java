package dev.nnlab.runs;

import dev.nnlab.store.Artifact;
import dev.nnlab.store.Store;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The files runs produced (confusion matrices, weight pictures, checkpoints): lists for the run
 * page, {@code runs show} and the compare view, and downloads that stream from the store's files.
 * Knows nothing of HTTP beyond the address it lists each file under.
 */
public final class RunArtifacts {
    private final Store store;

    public RunArtifacts(Store store) {
        this.store = store;
    }

    /** One artifact in a list; {@code url} is where {@code GET} fetches its content. */
    public record ArtifactView(String name, String mediaType, long size, String sha256, long created, String url) {
        static ArtifactView of(Artifact a) {
            return new ArtifactView(a.name(), a.mediaType(), a.size(), a.sha256(), a.created().toEpochMilli(), RunArtifacts.url(a.runId(), a.name()));
        }
    }

    /** An artifact ready to stream: {@link #open()} before sending anything, so a missing file is still a clean error. */
    public record Download(String name, String mediaType, long size, Path file) {
        public InputStream open() {
            try {
                return Files.newInputStream(file);
            } catch (NoSuchFileException e) {
                throw new UnknownArtifactException("the content of artifact \"" + name + "\" is missing from " + file
                        + " (the artifact folder was changed by hand?)");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read artifact " + name + " from " + file, e);
            }
        }
    }

    /** The run's artifacts by name. */
    public List<ArtifactView> list(long runId) {
        requireRun(runId);
        return store.artifacts().list(runId).stream().map(ArtifactView::of).toList();
    }

    /**
     * @throws UnknownRunException      for a run that does not exist
     * @throws UnknownArtifactException for a name the run does not hold (the message lists those it has)
     */
    public Download download(long runId, String name) {
        requireRun(runId);
        Artifact a = store.artifacts().get(runId, name).orElseThrow(() -> new UnknownArtifactException(runId, name,
                store.artifacts().list(runId).stream().map(Artifact::name).toList()));
        return new Download(a.name(), a.mediaType(), a.size(), store.artifacts().file(a));
    }

    /** The API path of an artifact, its name encoded as one path segment ({@code %20} for a space, not {@code +}). */
    public static String url(long runId, String name) {
        return "/api/runs/" + runId + "/artifacts/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private void requireRun(long runId) {
        if (store.runs().get(runId).isEmpty()) throw new UnknownRunException(runId);
    }
}
