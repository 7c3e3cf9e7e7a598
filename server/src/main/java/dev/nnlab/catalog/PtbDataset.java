package dev.nnlab.catalog;

import dev.nnlab.data.Sha256;
import dev.nnlab.data.TextCorpus;
import dev.nnlab.data.TextFileSentences;
import dev.nnlab.data.TextLines;
import dev.nnlab.data.TokenStreams;
import dev.nnlab.data.TokenStreams.Part;
import dev.nnlab.spi.DataKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ptb}: the Penn Treebank in Mikolov's language-modelling version (10,000 words, {@code <unk>}
 * for the rest, numbers as {@code N}), from {@code <dataDir>/ptb/ptb.{train,valid,test}.txt}. As
 * token streams, each line's words followed by {@code <eos>}, the vocabulary from the training file
 * (10,000 ids with {@code <eos>}); as a corpus, the training file's sentences.
 */
final class PtbDataset implements CatalogEntry {
    static final List<String> FILES = List.of("ptb.train.txt", "ptb.valid.txt", "ptb.test.txt");
    static final String HOW_TO_GET = "the three files are in data/ of Mikolov's RNNLM examples "
            + "(http://www.fit.vutbr.cz/~imikolov/rnnlm/simple-examples.tgz); copy ptb.train.txt, ptb.valid.txt and ptb.test.txt into ";

    private final Path dir;
    private final Path dataDir;

    PtbDataset(Path dataDir) {
        this.dataDir = dataDir;
        this.dir = dataDir.resolve("ptb");
    }

    @Override public String name() { return "ptb"; }

    @Override public String description() {
        return "Penn Treebank, Mikolov's LM version: 929k/73k/82k words with <eos>, vocabulary 10,000 (word level)";
    }

    @Override public List<DataKind> kinds() { return List.of(DataKind.TOKEN_STREAM, DataKind.TEXT_CORPUS); }

    @Override
    public Availability availability() {
        if (!missing().isEmpty()) return new Availability(false, dir.toString(), 0, HOW_TO_GET + dir);
        long bytes = 0;
        for (String f : FILES) {
            try {
                bytes += Files.size(dir.resolve(f));
            } catch (IOException e) {
                return new Availability(false, dir.toString(), 0, "cannot read " + dir.resolve(f) + ": " + e.getMessage());
            }
        }
        return new Availability(true, dir.toString(), bytes, "");
    }

    @Override
    public TokenStreams tokens() throws IOException {
        requireFiles();
        TokenStreams.Builder b = TokenStreams.builder("ptb", TokenStreams.Level.WORD);
        StringBuilder sums = new StringBuilder();
        for (Part part : Part.values()) {
            Path file = dir.resolve(FILES.get(part.ordinal()));
            String sum = TextLines.checkAndHash(file, line -> {
                String[] words = TextLines.words(line);
                if (words.length == 0) return;
                for (String w : words) b.add(part, w);
                b.endLine(part);
            });
            sums.append(FILES.get(part.ordinal())).append(' ').append(sum).append('\n');
        }
        return b.build(Sha256.ofText(sums.toString()), 0);
    }

    @Override
    public TextCorpus corpus() throws IOException {
        requireFiles();
        Path train = dir.resolve(FILES.getFirst());
        return TextCorpus.counted("ptb", TextLines.checkAndHash(train, line -> {}), new TextFileSentences(train));
    }

    private List<String> missing() {
        List<String> out = new ArrayList<>();
        for (String f : FILES) if (!Files.isRegularFile(dir.resolve(f))) out.add(f);
        return out;
    }

    private void requireFiles() throws DatasetUnavailableException {
        List<String> missing = missing();
        if (missing.isEmpty()) return;
        throw new DatasetUnavailableException(DatasetCatalog.missingMessage("ptb", dir, missing, dataDir, HOW_TO_GET + dir));
    }
}
