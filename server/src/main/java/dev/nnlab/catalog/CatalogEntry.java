package dev.nnlab.catalog;

import dev.nnlab.data.Dataset;
import dev.nnlab.data.TextCorpus;
import dev.nnlab.data.TokenStreams;
import dev.nnlab.spi.DataKind;

import java.io.IOException;
import java.util.List;

/**
 * One named dataset of the {@link DatasetCatalog}: where it comes from, which {@link DataKind}s it
 * can provide, and how to load each. A loader returns the raw data, before the kind's
 * {@link dev.nnlab.data.Preparation}: the whole labelled {@link Dataset} (official test part
 * included), the token streams with their full vocabulary, or the corpus.
 */
public interface CatalogEntry {

    String name();

    /** One line for {@code ./nnlab data ls}. */
    String description();

    /** The kinds this dataset provides, its natural one first (a family that accepts several gets the first it shares). */
    List<DataKind> kinds();

    Availability availability();

    /** The labelled samples; or {@link DatasetUnavailableException} saying where it looked and how to get them. */
    default Dataset labelled() throws IOException { throw notA("labelled tensors"); }

    /** The token streams, with every training token in the vocabulary. */
    default TokenStreams tokens() throws IOException { throw notA("token streams"); }

    /** The sequence task this entry generates ({@code adding}, {@code copy}); the samples come from its {@link dev.nnlab.data.SequencePreparation}. */
    default String sequenceTask() { throw notA("sequence task"); }

    /** The text corpus, counted, streaming from disk. */
    default TextCorpus corpus() throws IOException { throw notA("text corpus"); }

    private UnsupportedOperationException notA(String what) {
        return new UnsupportedOperationException("dataset '" + name() + "' holds no " + what + "; it holds " + kinds());
    }
}
