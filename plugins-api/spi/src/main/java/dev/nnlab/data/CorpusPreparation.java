package dev.nnlab.data;

import dev.nnlab.spi.ParamSpec;

import java.util.List;
import java.util.Map;

/**
 * The preparation of a text corpus ({@link dev.nnlab.spi.DataKind#TEXT_CORPUS}): none yet. The
 * corpus streams from disk as it is; vocabulary cut-offs ({@code minCount}) and subsampling are the
 * family's, because they are part of its algorithm (word2vec's), not of the data.
 *
 * <p>Stability: evolving; may gain parameters (with defaults that keep today's meaning).
 */
public record CorpusPreparation() implements Preparation {
    public static final List<ParamSpec> PARAMS = List.of();

    public static CorpusPreparation of(Map<String, Object> resolved) { return new CorpusPreparation(); }

    @Override public String key() { return "as-is"; }

    public TextCorpus prepare(TextCorpus raw) { return raw; }
}
