package dev.nnlab.runs;

/** An artifact name that the run does not hold. The HTTP API answers 404. */
public final class UnknownArtifactException extends RuntimeException {
    public UnknownArtifactException(long runId, String name, java.util.List<String> known) {
        super("run " + runId + " has no artifact \"" + name + "\"" + (known.isEmpty() ? " (it has none)" : "; it has " + known));
    }

    public UnknownArtifactException(String message) {
        super(message);
    }
}
