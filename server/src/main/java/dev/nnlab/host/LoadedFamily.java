package dev.nnlab.host;

import dev.nnlab.spi.ModelFamily;

import java.nio.file.Path;

/**
 * A model family the host found, with the JAR it came from and that JAR's SHA-256 (recorded with
 * every run, so a run says exactly which build trained it).
 */
public record LoadedFamily(ModelFamily family, Path jar, String sha256) {
    public String id() { return family.id(); }
    public String version() { return family.version(); }
}
