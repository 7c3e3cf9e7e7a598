package dev.nnlab.data;

import dev.nnlab.spi.ParamSpec;

import java.util.List;
import java.util.Map;

/**
 * The preparation of token streams ({@link dev.nnlab.spi.DataKind#TOKEN_STREAM}): the parts come
 * from the dataset itself (PTB's three files; a 90/5/5 split of one file), so only the vocabulary
 * is a choice. {@code vocabSize > 0} keeps the most frequent training tokens, specials included,
 * and turns the rest into {@code <unk>}.
 *
 * <p>Stability: evolving.
 */
public record TokenPreparation(int vocabSize) implements Preparation {
    public static final ParamSpec VOCAB_SIZE = ParamSpec.ofInt("vocabSize", 0,
            "Token streams: keep the most frequent training tokens (<unk> and <eos> included), the rest become <unk>; "
                    + "0 keeps every training token.").min(0, true).max(10_000_000, true);
    public static final List<ParamSpec> PARAMS = List.of(VOCAB_SIZE);

    public TokenPreparation {
        if (vocabSize < 0) throw new IllegalArgumentException("vocabSize = " + vocabSize + " must be >= 0");
    }

    public static TokenPreparation of(Map<String, Object> resolved) {
        return new TokenPreparation(((Number) resolved.getOrDefault(VOCAB_SIZE.name(), VOCAB_SIZE.defaultValue())).intValue());
    }

    @Override public String key() { return "vocabSize=" + vocabSize; }

    public TokenStreams prepare(TokenStreams raw) { return raw.withVocabularySize(vocabSize); }
}
