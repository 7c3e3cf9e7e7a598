package dev.nnlab.plugins.resnet;

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
 * preparation does.
 */
final class Mnist10k {
    private static Dataset cached;

    private Mnist10k() {}

    static synchronized Dataset load() throws IOException {
        if (cached != null) return cached;
        Path cwd = Path.of("").toAbsolutePath();
        Path root = Files.isDirectory(cwd.resolve("plugins-api")) ? cwd : cwd.getParent().getParent();
        Path dir = root.resolve("server/src/main/resources/dev/nnlab/catalog/mnist-10k");
        Dataset raw = IdxReader.imageDataset("mnist-10k", List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
                IdxReader.readImages(dir.resolve("images-idx3-ubyte.gz")), IdxReader.readLabels(dir.resolve("labels-idx1-ubyte.gz")),
                null, null);
        float[] x = raw.features().toArray();
        for (int i = 0; i < x.length; i++) x[i] /= 255f;
        cached = raw.withFeatures(Tensor.of(x, raw.features().shape()), FeatureScale.UNIT_INTERVAL);
        return cached;
    }
}
