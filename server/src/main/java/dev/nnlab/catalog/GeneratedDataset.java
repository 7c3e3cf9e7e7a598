package dev.nnlab.catalog;

import dev.nnlab.data.Dataset;
import dev.nnlab.data.TextCorpus;
import dev.nnlab.data.TokenStreams;
import dev.nnlab.spi.DataKind;

import java.util.List;
import java.util.function.Supplier;

/**
 * A synthetic dataset made on demand by a seeded generator of {@code dev.nnlab.data}, of one kind;
 * always available.
 */
final class GeneratedDataset implements CatalogEntry {
    private final String name;
    private final String description;
    private final DataKind kind;
    private final Supplier<?> generator;

    private GeneratedDataset(String name, String description, DataKind kind, Supplier<?> generator) {
        this.name = name;
        this.description = description;
        this.kind = kind;
        this.generator = generator;
    }

    static GeneratedDataset labelled(String name, String description, Supplier<Dataset> generator) {
        return new GeneratedDataset(name, description, DataKind.VECTOR, generator);
    }

    static GeneratedDataset tokens(String name, String description, Supplier<TokenStreams> generator) {
        return new GeneratedDataset(name, description, DataKind.TOKEN_STREAM, generator);
    }

    static GeneratedDataset corpus(String name, String description, Supplier<TextCorpus> generator) {
        return new GeneratedDataset(name, description, DataKind.TEXT_CORPUS, generator);
    }

    /** A sequence task: what is generated depends on the run's {@link dev.nnlab.data.SequencePreparation}. */
    static GeneratedDataset sequences(String task, String description) {
        return new GeneratedDataset(task, description, DataKind.SEQUENCES, () -> task);
    }

    @Override public String name() { return name; }

    @Override public String description() { return description; }

    @Override public List<DataKind> kinds() { return List.of(kind); }

    @Override public Availability availability() { return new Availability(true, "generated", -1, ""); }

    @Override public Dataset labelled() throws java.io.IOException {
        return kind == DataKind.VECTOR ? (Dataset) generator.get() : CatalogEntry.super.labelled();
    }

    @Override public TokenStreams tokens() throws java.io.IOException {
        return kind == DataKind.TOKEN_STREAM ? (TokenStreams) generator.get() : CatalogEntry.super.tokens();
    }

    @Override public String sequenceTask() {
        return kind == DataKind.SEQUENCES ? (String) generator.get() : CatalogEntry.super.sequenceTask();
    }

    @Override public TextCorpus corpus() throws java.io.IOException {
        return kind == DataKind.TEXT_CORPUS ? (TextCorpus) generator.get() : CatalogEntry.super.corpus();
    }
}
