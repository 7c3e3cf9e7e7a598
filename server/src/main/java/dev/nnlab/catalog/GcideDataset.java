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
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

/**
 * {@code gcide}: the GNU Collaborative International Dictionary of English from Debian's
 * {@code dict-gcide}, as a text corpus for word2vec (W6g/W7g). The first load converts
 * {@code /usr/share/dictd/gcide.dict.dz} with {@link GcideText} into {@code <dataDir>/gcide/}{@value #FILE}
 * (one pass of a few seconds, written beside and moved into place), which every later load streams.
 * A data directory that cannot be written (a shared read-only one) gets the converted text in the
 * user's cache instead: {@code $XDG_CACHE_HOME/nnlab/gcide/} or {@code ~/.cache/nnlab/gcide/}.
 */
final class GcideDataset implements CatalogEntry {
    static final String NAME = "gcide";
    static final Path DEBIAN_DICT = Path.of("/usr/share/dictd/gcide.dict.dz");
    static final String HOW_TO_GET = "install Debian's dict-gcide: 'sudo apt-get install dict-gcide' "
            + "(or './nnlab data get gcide', which runs apt-get when nnlab runs as root and converts the dictionary)";

    /** Named for the conversion, so that text of an earlier conversion (5.04M words, pronunciations dropped) is not read as this one. */
    static final String FILE = "gcide-words-v2.txt";

    private final Path dict;
    private final Path text;

    GcideDataset(Path dict, Path dataDir) {
        this(dict, dataDir, userCache());
    }

    GcideDataset(Path dict, Path dataDir, Path cacheDir) {
        this.dict = dict;
        Path inData = dataDir.resolve(NAME).resolve(FILE);
        Path inCache = cacheDir.resolve(NAME).resolve(FILE);
        this.text = Files.isRegularFile(inData) || !Files.isRegularFile(inCache) && writable(dataDir) ? inData : inCache;
    }

    static Path userCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("nnlab");
    }

    /**
     * Whether the gcide folder under {@code dataDir} can be made and written, judged at the nearest
     * folder that exists. A folder without any write bit counts as read-only even for root, who could
     * write it anyway: a shared data folder marked read-only is not nnlab's to fill.
     */
    static boolean writable(Path dataDir) {
        for (Path p = dataDir.toAbsolutePath().resolve(NAME); p != null; p = p.getParent()) {
            if (!Files.exists(p)) continue;
            if (!Files.isDirectory(p) || !Files.isWritable(p)) return false;
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                return perms.contains(PosixFilePermission.OWNER_WRITE) || perms.contains(PosixFilePermission.GROUP_WRITE)
                        || perms.contains(PosixFilePermission.OTHERS_WRITE);
            } catch (UnsupportedOperationException | IOException e) {
                return true;
            }
        }
        return false;
    }

    /** Where the converted text is, or will be once converted. */
    Path textFile() { return text; }

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
        Path partial = text.resolveSibling(FILE + ".partial");
        try (InputStream in = Files.newInputStream(dict); Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            GcideText.convertDictDz(in, out);
        }
        Files.move(partial, text, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return text;
    }
}
