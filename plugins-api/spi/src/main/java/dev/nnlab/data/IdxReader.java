package dev.nnlab.data;

import dev.nnlab.tensor.Tensor;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads unsigned-byte IDX files (LeCun's MNIST format), raw or gzipped. Compression is detected
 * by the gzip magic bytes {@code 1f 8b}, not the file name: an IDX file always starts with two
 * zero bytes, so the two cannot be confused.
 *
 * <p>Header: {@code 00 00 <type> <rank>}, then rank big-endian int32 dimensions, then the data.
 * Images are magic 2051 ({@code 0x0803}: unsigned bytes, rank 3), labels 2049 ({@code 0x0801}).
 * Every problem is an {@link IdxFormatException} naming the file and what was wrong.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class IdxReader {
    public static final int IMAGES_MAGIC = 2051;
    public static final int LABELS_MAGIC = 2049;
    private static final int UNSIGNED_BYTE = 0x08;

    private IdxReader() {}

    public static IdxFile readImages(Path file) throws IOException { return read(file, IMAGES_MAGIC); }

    public static IdxFile readLabels(Path file) throws IOException { return read(file, LABELS_MAGIC); }

    public static IdxFile readImages(InputStream in, String source) throws IOException { return read(in, source, IMAGES_MAGIC); }

    public static IdxFile readLabels(InputStream in, String source) throws IOException { return read(in, source, LABELS_MAGIC); }

    /** Reads {@code file}, requiring {@code expectedMagic} (2051 or 2049). */
    public static IdxFile read(Path file, int expectedMagic) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), expectedMagic);
        }
    }

    /** Reads a whole IDX stream (closing is the caller's), requiring {@code expectedMagic}. */
    public static IdxFile read(InputStream raw, String source, int expectedMagic) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        boolean gzipped = buffered.read() == 0x1f && buffered.read() == 0x8b;
        buffered.reset();
        try {
            MessageDigest sha = Sha256.digest();
            InputStream in = new DigestInputStream(gzipped ? new GZIPInputStream(buffered, 1 << 16) : buffered, sha);
            return parse(in, source, expectedMagic, sha);
        } catch (EOFException | ZipException e) {
            throw new IdxFormatException(source, "corrupt or truncated gzip data (" + e.getMessage() + ")");
        }
    }

    private static IdxFile parse(InputStream in, String source, int expectedMagic, MessageDigest sha) throws IOException {
        byte[] head = in.readNBytes(4);
        if (head.length < 4) {
            throw new IdxFormatException(source, "only " + head.length + " bytes, shorter than the 4-byte IDX magic number");
        }
        if (head[0] != 0 || head[1] != 0) {
            throw new IdxFormatException(source, String.format(
                    "not an IDX file: it starts with bytes %02x %02x, IDX files start with 00 00", head[0], head[1]));
        }
        int type = head[2] & 0xff, rank = head[3] & 0xff;
        int magic = (type << 8) | rank;
        if (magic != expectedMagic) {
            throw new IdxFormatException(source, "magic number " + magic + " (" + describe(magic) + "), expected "
                    + expectedMagic + " (" + describe(expectedMagic) + ")");
        }
        byte[] dimBytes = in.readNBytes(4 * rank);
        if (dimBytes.length < 4 * rank) {
            throw new IdxFormatException(source, "truncated header: " + rank + " dimensions need " + 4 * rank
                    + " bytes after the magic number, found " + dimBytes.length);
        }
        int[] dims = new int[rank];
        long total = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = ((dimBytes[4 * i] & 0xff) << 24) | ((dimBytes[4 * i + 1] & 0xff) << 16)
                    | ((dimBytes[4 * i + 2] & 0xff) << 8) | (dimBytes[4 * i + 3] & 0xff);
            if (dims[i] < 0 || (i > 0 && dims[i] == 0)) {
                throw new IdxFormatException(source, "dimension " + i + " is " + Integer.toUnsignedString(dims[i]));
            }
            total *= dims[i];
            if (total > Integer.MAX_VALUE - 16) {
                throw new IdxFormatException(source, "dimensions " + Arrays.toString(dims) + " exceed 2^31 bytes");
            }
        }
        byte[] data = in.readNBytes((int) total);
        if (data.length < total) {
            throw new IdxFormatException(source, "truncated: the header announces " + dims[0] + " items ("
                    + total + " data bytes) but only " + data.length + " bytes follow");
        }
        if (in.read() != -1) {
            throw new IdxFormatException(source, "unexpected bytes after the " + total + " data bytes the header announces");
        }
        return new IdxFile(source, magic, dims, data, Sha256.hex(sha.digest()));
    }

    private static String describe(int magic) {
        return switch (magic) {
            case IMAGES_MAGIC -> "IDX images: unsigned bytes, rank 3";
            case LABELS_MAGIC -> "IDX labels: unsigned bytes, rank 1";
            default -> (magic >> 8) == UNSIGNED_BYTE ? "unsigned bytes, rank " + (magic & 0xff)
                    : String.format("element type 0x%02x, only unsigned bytes (0x08) are supported", magic >> 8);
        };
    }

    /**
     * An image classification dataset from IDX pairs: features {@code (N, 1, rows, cols)} floats in
     * the original 0..255 scale ({@link FeatureScale#PIXELS_0_255}), train part first, then test.
     * The checksum is the sha256 of the decompressed files' sha256s in this order, so raw and
     * gzipped copies of the same data have the same identity.
     *
     * @param testImages may be null (with {@code testLabels}) when the source has no test part
     */
    public static Dataset imageDataset(String name, List<String> classNames, IdxFile trainImages, IdxFile trainLabels,
                                       IdxFile testImages, IdxFile testLabels) throws IdxFormatException {
        checkPair(trainImages, trainLabels);
        if ((testImages == null) != (testLabels == null)) {
            throw new IllegalArgumentException(name + ": test images and test labels go together");
        }
        int nTest = 0;
        if (testImages != null) {
            checkPair(testImages, testLabels);
            if (testImages.dims()[1] != trainImages.dims()[1] || testImages.dims()[2] != trainImages.dims()[2]) {
                throw new IdxFormatException(testImages.source(), "images are " + testImages.dims()[1] + "x"
                        + testImages.dims()[2] + " but the training images in " + trainImages.source() + " are "
                        + trainImages.dims()[1] + "x" + trainImages.dims()[2]);
            }
            nTest = testImages.count();
        }
        int nTrain = trainImages.count(), rows = trainImages.dims()[1], cols = trainImages.dims()[2];
        float[] pixels = new float[Math.multiplyExact(nTrain + nTest, rows * cols)];
        int[] labels = new int[nTrain + nTest];
        trainImages.copyAsFloats(pixels, 0);
        System.arraycopy(checkedLabels(trainLabels, classNames.size()), 0, labels, 0, nTrain);
        StringBuilder identity = new StringBuilder(trainImages.sha256()).append('\n').append(trainLabels.sha256());
        if (testImages != null) {
            testImages.copyAsFloats(pixels, nTrain * rows * cols);
            System.arraycopy(checkedLabels(testLabels, classNames.size()), 0, labels, nTrain, nTest);
            identity.append('\n').append(testImages.sha256()).append('\n').append(testLabels.sha256());
        }
        return new Dataset(name, Tensor.of(pixels, nTrain + nTest, 1, rows, cols), labels, classNames, nTrain,
                FeatureScale.PIXELS_0_255, Sha256.ofText(identity.toString()));
    }

    private static void checkPair(IdxFile images, IdxFile labels) throws IdxFormatException {
        if (images.magic() != IMAGES_MAGIC) throw new IdxFormatException(images.source(), "is not an image file");
        if (labels.magic() != LABELS_MAGIC) throw new IdxFormatException(labels.source(), "is not a label file");
        if (images.count() != labels.count()) {
            throw new IdxFormatException(labels.source(), "has " + labels.count() + " labels but "
                    + images.source() + " has " + images.count() + " images");
        }
    }

    private static int[] checkedLabels(IdxFile labels, int classes) throws IdxFormatException {
        int[] out = labels.toInts();
        for (int i = 0; i < out.length; i++) {
            if (out[i] >= classes) {
                throw new IdxFormatException(labels.source(), "label " + out[i] + " at index " + i
                        + " is outside 0.." + (classes - 1));
            }
        }
        return out;
    }
}
