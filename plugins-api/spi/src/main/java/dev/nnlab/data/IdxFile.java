package dev.nnlab.data;

import dev.nnlab.tensor.Tensor;

import java.util.Arrays;

/**
 * One validated unsigned-byte IDX file: its dimensions and its data bytes, as read by
 * {@link IdxReader}. {@code dims[0]} is the item count: images {@code (N, rows, cols)}, labels {@code (N)}.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class IdxFile {
    private final String source;
    private final int magic;
    private final int[] dims;
    private final byte[] data;
    private final String sha256;

    IdxFile(String source, int magic, int[] dims, byte[] data, String sha256) {
        this.source = source;
        this.magic = magic;
        this.dims = dims;
        this.data = data;
        this.sha256 = sha256;
    }

    /** Where it was read from (a path or a resource name), for messages. */
    public String source() { return source; }

    /** 2051 for images, 2049 for labels. */
    public int magic() { return magic; }

    public int[] dims() { return dims.clone(); }

    public int count() { return dims[0]; }

    /** Bytes per item: rows * cols for images, 1 for labels. */
    public int itemSize() { return Tensor.sizeOf(Arrays.copyOfRange(dims, 1, dims.length)); }

    /** Hex sha256 of the decompressed file, header included: the same for the raw and the .gz file. */
    public String sha256() { return sha256; }

    /** Item {@code i}, byte {@code j}, as 0..255. */
    public int unsigned(int i, int j) { return data[i * itemSize() + j] & 0xff; }

    /** Writes items {@code [0, count)} as floats 0..255 into {@code out} from {@code offset}. */
    public void copyAsFloats(float[] out, int offset) {
        for (int i = 0; i < data.length; i++) out[offset + i] = data[i] & 0xff;
    }

    /** The labels as ints; for a file of rank 1. */
    public int[] toInts() {
        if (dims.length != 1) throw new IllegalStateException(source + " has rank " + dims.length + ", labels have rank 1");
        int[] out = new int[data.length];
        for (int i = 0; i < out.length; i++) out[i] = data[i] & 0xff;
        return out;
    }

    @Override
    public String toString() {
        return source + " (magic " + magic + ", dims " + Arrays.toString(dims) + ")";
    }
}
