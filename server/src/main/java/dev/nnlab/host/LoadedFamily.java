package dev.nnlab.host;

import dev.nnlab.spi.ModelFamily;

import java.nio.file.Path;

/** A model family the host found, with the JAR it came from. */
public record LoadedFamily(ModelFamily family, Path jar) {
    public String id() { return family.id(); }
    public String version() { return family.version(); }
}
