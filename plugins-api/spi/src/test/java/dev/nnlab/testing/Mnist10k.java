package dev.nnlab.testing;

import dev.nnlab.data.Dataset;
import dev.nnlab.data.FeatureScale;
import dev.nnlab.data.IdxReader;
import dev.nnlab.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The mnist-10k subset shipped in the server's resources, read straight from the source tree (a
 * plugin module cannot depend on the server) and scaled to [0, 1] as the catalog's default
 * preparation does. Shared by the plugin families' tests through this module's test JAR.
 */
public final class Mnist10k {
    static final String RESOURCES = "server/src/main/resources/dev/nnlab/catalog/mnist-10k";
    private static Dataset cached;

    private Mnist10k() {}

    public static synchronized Dataset load() throws IOException {
        if (cached != null) return cached;
        Path dir = directory();
        Dataset raw = IdxReader.imageDataset("mnist-10k", List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
                IdxReader.readImages(dir.resolve("images-idx3-ubyte.gz")), IdxReader.readLabels(dir.resolve("labels-idx1-ubyte.gz")),
                null, null);
        float[] x = raw.features().toArray();
        for (int i = 0; i < x.length; i++) x[i] /= 255f;
        cached = raw.withFeatures(Tensor.of(x, raw.features().shape()), FeatureScale.UNIT_INTERVAL);
        return cached;
    }

    /** The shipped files, from any module's directory (Maven runs each module's tests there) up to the checkout. */
    private static Path directory() throws IOException {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path dir = p.resolve(RESOURCES);
            if (Files.isDirectory(dir)) return dir;
        }
        throw new IOException("no " + RESOURCES + " above " + Path.of("").toAbsolutePath());
    }
}
