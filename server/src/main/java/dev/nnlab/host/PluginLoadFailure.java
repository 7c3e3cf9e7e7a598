package dev.nnlab.host;

import java.nio.file.Path;

/** A JAR (or one provider in it) the host refused, and why; shown by {@code ./nnlab plugins} and the plugins page. */
public record PluginLoadFailure(Path jar, String reason) {}
