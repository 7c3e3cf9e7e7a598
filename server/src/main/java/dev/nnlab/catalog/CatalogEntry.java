package dev.nnlab.catalog;

import dev.nnlab.data.Dataset;

import java.io.IOException;

/** One named dataset of the {@link DatasetCatalog}: where it comes from and how to load it. */
public interface CatalogEntry {

    String name();

    /** One line for {@code ./nnlab data ls}. */
    String description();

    Availability availability();

    /** Loads it, or throws {@link DatasetUnavailableException} saying where it looked and how to get it. */
    Dataset load() throws IOException;
}
