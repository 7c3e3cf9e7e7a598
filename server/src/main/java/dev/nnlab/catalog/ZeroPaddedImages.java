package dev.nnlab.catalog;

import dev.nnlab.data.Dataset;
import dev.nnlab.data.Sha256;
import dev.nnlab.spi.DataKind;
import dev.nnlab.tensor.Tensor;

import java.io.IOException;
import java.util.List;

/**
 * Another image dataset with a border of zero pixels on every side: {@code fashion-mnist-32} is
 * Fashion-MNIST's 28x28 images padded by 2 to 32x32, the input of the CIFAR ResNets (W4). Zero is
 * black in the 0..255 scale the images load in, so scaling to [0, 1] keeps the border at 0.
 */
final class ZeroPaddedImages implements CatalogEntry {
    private final String name;
    private final String description;
    private final CatalogEntry source;
    private final int pad;

    ZeroPaddedImages(String name, String description, CatalogEntry source, int pad) {
        if (pad < 1) throw new IllegalArgumentException("pad = " + pad + " must be >= 1");
        this.name = name;
        this.description = description;
        this.source = source;
        this.pad = pad;
    }

    @Override public String name() { return name; }

    @Override public String description() { return description; }

    @Override public List<DataKind> kinds() { return List.of(DataKind.IMAGE); }

    @Override public Availability availability() {
        Availability a = source.availability();
        return new Availability(a.available(), a.location(), a.bytes(), a.howToGet()
                + (a.available() ? "" : " (" + name + " is " + source.name() + ", padded)"));
    }

    @Override
    public Dataset labelled() throws IOException {
        return pad(name, source.labelled(), pad);
    }

    /** {@code d}'s (N, C, H, W) images inside a zero border of {@code pad} pixels; the checksum names the source and the padding. */
    static Dataset pad(String name, Dataset d, int pad) {
        int[] s = d.features().shape();
        if (s.length != 4) throw new IllegalArgumentException(d.name() + " holds no (N, C, H, W) images: " + d.features());
        int n = s[0], c = s[1], h = s[2], w = s[3], ph = h + 2 * pad, pw = w + 2 * pad;
        float[] src = d.features().data;
        int off = d.features().offset;
        float[] out = new float[Math.multiplyExact(Math.multiplyExact(n * c, ph), pw)];
        for (int plane = 0; plane < n * c; plane++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(src, off + (plane * h + y) * w, out, (plane * ph + y + pad) * pw + pad, w);
            }
        }
        return new Dataset(name, Tensor.of(out, n, c, ph, pw), d.labels(), d.classNames(), d.testStart(), d.scale(),
                Sha256.ofText(d.checksum() + "\nzero-padded by " + pad));
    }
}
