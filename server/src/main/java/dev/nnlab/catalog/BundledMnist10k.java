package dev.nnlab.catalog;

import dev.nnlab.data.Dataset;
import dev.nnlab.data.IdxFile;
import dev.nnlab.data.IdxReader;

import dev.nnlab.spi.DataKind;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.util.List;

/**
 * {@code mnist-10k}: the first 10,000 MNIST training images, shipped inside nnlab's jar
 * (resources {@code dev/nnlab/catalog/mnist-10k/}, ~1.6 MB, see the README there), so examples
 * and tests work offline. No test part: it overlaps the full MNIST training set, not its test set.
 */
final class BundledMnist10k implements CatalogEntry {
    static final String NAME = "mnist-10k";
    private static final String FOLDER = "mnist-10k/";
    private static final String IMAGES = FOLDER + "images-idx3-ubyte.gz";
    private static final String LABELS = FOLDER + "labels-idx1-ubyte.gz";

    @Override public String name() { return NAME; }

    @Override public List<DataKind> kinds() { return List.of(DataKind.IMAGE); }

    @Override public String description() { return "first 10,000 MNIST training digits, bundled (28x28, 10 classes)"; }

    @Override
    public Availability availability() {
        URL images = BundledMnist10k.class.getResource(IMAGES), labels = BundledMnist10k.class.getResource(LABELS);
        if (images == null || labels == null) {
            return new Availability(false, "classpath:" + resourceFolder(), 0, "rebuild nnlab: its jar lacks these resources");
        }
        return new Availability(true, "bundled: classpath:" + resourceFolder(), size(images) + size(labels), "");
    }

    @Override
    public Dataset labelled() throws IOException {
        return IdxReader.imageDataset(NAME, IdxDirectoryDataset.DIGITS, read(IMAGES, true), read(LABELS, false), null, null);
    }

    private static IdxFile read(String resource, boolean images) throws IOException {
        String source = "classpath:" + BundledMnist10k.class.getPackageName().replace('.', '/') + "/" + resource;
        try (InputStream in = BundledMnist10k.class.getResourceAsStream(resource)) {
            if (in == null) throw new DatasetUnavailableException(NAME + ": " + source + " is missing from nnlab's jar; rebuild nnlab");
            return images ? IdxReader.readImages(in, source) : IdxReader.readLabels(in, source);
        }
    }

    private static String resourceFolder() {
        return BundledMnist10k.class.getPackageName().replace('.', '/') + "/" + FOLDER;
    }

    private static long size(URL url) {
        try {
            URLConnection c = url.openConnection();
            c.setUseCaches(false);
            return c.getContentLengthLong();
        } catch (IOException e) {
            return -1;
        }
    }
}
