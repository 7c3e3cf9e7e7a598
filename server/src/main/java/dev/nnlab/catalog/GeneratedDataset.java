package dev.nnlab.catalog;

import dev.nnlab.data.Dataset;

import java.util.function.Supplier;

/** A synthetic dataset made on demand by a seeded generator of {@code dev.nnlab.data}; always available. */
final class GeneratedDataset implements CatalogEntry {
    private final String name;
    private final String description;
    private final Supplier<Dataset> generator;

    GeneratedDataset(String name, String description, Supplier<Dataset> generator) {
        this.name = name;
        this.description = description;
        this.generator = generator;
    }

    @Override public String name() { return name; }

    @Override public String description() { return description; }

    @Override public Availability availability() { return new Availability(true, "generated", -1, ""); }

    @Override public Dataset load() { return generator.get(); }
}
