package dev.nnlab.catalog;

import dev.nnlab.data.TextCorpus;
import dev.nnlab.data.TextFileSentences;
import dev.nnlab.data.TextLines;
import dev.nnlab.spi.DataKind;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * {@code gcide}: the GNU Collaborative International Dictionary of English from Debian's
 * {@code dict-gcide}, as a text corpus for word2vec (W6g/W7g). The first load converts
 * {@code /usr/share/dictd/gcide.dict.dz} with {@link GcideText} into {@code <dataDir>/gcide/gcide.txt}
 * (one pass, written beside and moved into place), which every later load streams.
 */
final class GcideDataset implements CatalogEntry {
    static final String NAME = "gcide";
    static final Path DEBIAN_DICT = Path.of("/usr/share/dictd/gcide.dict.dz");
    static final String HOW_TO_GET = "install Debian's dict-gcide: 'sudo apt-get install dict-gcide' "
            + "(or './nnlab data get gcide', which runs apt-get when nnlab runs as root and converts the dictionary)";

    private final Path dict;
    private final Path text;

    GcideDataset(Path dict, Path dataDir) {
        this.dict = dict;
        this.text = dataDir.resolve(NAME).resolve("gcide.txt");
    }

    @Override public String name() { return NAME; }

    @Override public String description() {
        return "GNU Collaborative International Dictionary of English (Debian dict-gcide) as a word2vec corpus: "
                + "markup stripped, lower-cased, a-z and apostrophes, about 5M words";
    }

    @Override public List<DataKind> kinds() { return List.of(DataKind.TEXT_CORPUS); }

    @Override
    public Availability availability() {
        try {
            if (Files.isRegularFile(text)) return new Availability(true, text.toString(), Files.size(text), "");
            if (Files.isRegularFile(dict)) return new Availability(true, dict.toString(), Files.size(dict), "");
        } catch (IOException e) {
            return new Availability(false, text.toString(), 0, "cannot read it: " + e.getMessage());
        }
        return new Availability(false, dict.toString(), 0, HOW_TO_GET);
    }

    @Override
    public TextCorpus corpus() throws IOException {
        Path file = prepared();
        String checksum = TextLines.checkAndHash(file, line -> {});
        return TextCorpus.counted(NAME, checksum, new TextFileSentences(file));
    }

    /** The converted text, converting the dictionary first if needed. */
    Path prepared() throws IOException {
        if (Files.isRegularFile(text)) return text;
        if (!Files.isRegularFile(dict)) {
            throw new DatasetUnavailableException("dataset 'gcide' is not available: neither " + text + " nor " + dict
                    + " exists. Get it: " + HOW_TO_GET);
        }
        Files.createDirectories(text.getParent());
        Path partial = text.resolveSibling("gcide.txt.partial");
        try (InputStream in = Files.newInputStream(dict); Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            GcideText.convertDictDz(in, out);
        }
        Files.move(partial, text, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return text;
    }
}
