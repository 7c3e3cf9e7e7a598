package dev.nnlab.data;

import dev.nnlab.kernels.PixelBytes;
import dev.nnlab.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * A labelled classification dataset: features {@code (N, ...)} (images {@code (N, 1, 28, 28)}),
 * one class index per sample, the class names, and a checksum identifying the data.
 *
 * <p>Samples {@code [0, testStart)} are the source's original training part and
 * {@code [testStart, N)} its original test part ({@code testStart == N}: no official test part).
 * Splitting the training part into train and validation is {@code dev.nnlab.training.Split}'s job.
 *
 * <p>Features are shared, not copied: {@link #features()} and {@link #labels()} return the arrays
 * themselves, for speed; treat them as read-only. Preprocessing returns new datasets.
 *
 * <p>The checksum ({@code "sha256:<hex>"}) identifies the source: the decompressed IDX files, or a
 * generator and its parameters. Parts and transformed copies keep it, so a run records
 * {@code name + checksum} plus its own split and preprocessing.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class Dataset {
    private final String name;
    private final Tensor features;
    private final int[] labels;
    private final List<String> classNames;
    private final int testStart;
    private final FeatureScale scale;
    private final String checksum;
    private final byte[] pixelCodes;

    /**
     * @param features  {@code (N, ...)}, rank at least 2
     * @param labels    N class indices in {@code [0, classNames.size())}
     * @param testStart first sample of the original test part; N when there is none
     */
    public Dataset(String name, Tensor features, int[] labels, List<String> classNames, int testStart,
                   FeatureScale scale, String checksum) {
        this(name, features, labels, classNames, testStart, scale, checksum, null);
    }

    private Dataset(String name, Tensor features, int[] labels, List<String> classNames, int testStart,
                    FeatureScale scale, String checksum, byte[] pixelCodes) {
        if (features.rank() < 2) {
            throw new IllegalArgumentException(name + ": features must be (N, ...), got " + features);
        }
        int n = features.rows();
        if (labels.length != n) {
            throw new IllegalArgumentException(name + ": " + labels.length + " labels for " + n + " samples");
        }
        if (classNames.isEmpty()) throw new IllegalArgumentException(name + ": no class names");
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of sample " + i
                        + " is outside 0.." + (classNames.size() - 1));
            }
        }
        if (testStart < 0 || testStart > n) {
            throw new IllegalArgumentException(name + ": testStart " + testStart + " outside 0.." + n);
        }
        this.name = name;
        this.features = features;
        this.labels = labels;
        this.classNames = List.copyOf(classNames);
        this.testStart = testStart;
        this.scale = scale;
        this.checksum = checksum;
        this.pixelCodes = pixelCodes;
    }

    public String name() { return name; }

    /** {@code (N, ...)}; shared, read-only. */
    public Tensor features() { return features; }

    /** N class indices; shared, read-only. */
    public int[] labels() { return labels; }

    public int size() { return labels.length; }

    public int numClasses() { return classNames.size(); }

    public List<String> classNames() { return classNames; }

    /** The shape of one sample: {@code (1, 28, 28)} for MNIST, {@code (2)} for spirals. */
    public int[] sampleShape() {
        int[] s = features.shape();
        return Arrays.copyOfRange(s, 1, s.length);
    }

    /** Values per sample, the D of a flattened {@code (N, D)} view. */
    public int featureCount() { return Tensor.sizeOf(sampleShape()); }

    public int testStart() { return testStart; }

    public boolean hasTestPart() { return testStart < size(); }

    public FeatureScale scale() { return scale; }

    /** {@code "sha256:<hex>"} of the source files' contents or of the generator and its parameters. */
    public String checksum() { return checksum; }

    /**
     * The features as {@link PixelBytes} codes, one byte per value in the order of {@link #features()}, when
     * this dataset came from {@link #withPixelCodes()}; else null. Shared, read-only.
     */
    public byte[] pixelCodes() { return pixelCodes; }

    /**
     * This dataset also holding its features as pixel codes, when every value is one ({@code k / 255} as the
     * unit scaling computes it); otherwise this dataset. Training gathers shuffled batches from the codes,
     * a quarter of the memory traffic for the same bits (see {@code dev.nnlab.training.MiniBatches}). Parts,
     * subsets and transformed copies do not keep the codes.
     */
    public Dataset withPixelCodes() {
        if (pixelCodes != null) return this;
        // The first row first: other data is refused without allocating codes for all of it.
        int d = featureCount();
        if (size() == 0 || !PixelBytes.encode(d, features.data, features.offset, new byte[d], 0)) return this;
        byte[] codes = new byte[size() * d];
        if (!PixelBytes.encode(codes.length, features.data, features.offset, codes, 0)) return this;
        return new Dataset(name, features, labels, classNames, testStart, scale, checksum, codes);
    }

    /** Samples of each class, indexed by class. */
    public int[] classCounts() {
        int[] counts = new int[numClasses()];
        for (int label : labels) counts[label]++;
        return counts;
    }

    /** The original training part {@code [0, testStart)}, sharing features; named {@code name:train}. */
    public Dataset trainPart() { return rows(name + ":train", 0, testStart); }

    /** The original test part {@code [testStart, N)}, sharing features; named {@code name:test}. */
    public Dataset testPart() { return rows(name + ":test", testStart, size()); }

    private Dataset rows(String partName, int from, int to) {
        return new Dataset(partName, features.slice(from, to), Arrays.copyOfRange(labels, from, to), classNames,
                to - from, scale, checksum);
    }

    /**
     * The given samples, in the given order, copied; the result has no test part. For splitters:
     * pass indices from the training part only.
     */
    public Dataset subset(String subsetName, int[] indices) {
        int d = featureCount();
        float[] out = new float[indices.length * d];
        int[] outLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int src = indices[i];
            if (src < 0 || src >= size()) throw new IndexOutOfBoundsException("sample " + src + " of " + size());
            System.arraycopy(features.data, features.offset + src * d, out, i * d, d);
            outLabels[i] = labels[src];
        }
        int[] shape = features.shape();
        shape[0] = indices.length;
        return new Dataset(subsetName, Tensor.of(out, shape), outLabels, classNames, indices.length, scale, checksum);
    }

    /** Same samples, labels, parts and checksum with other features {@code (N, ...)}, e.g. preprocessed ones. */
    public Dataset withFeatures(Tensor newFeatures, FeatureScale newScale) {
        return new Dataset(name, newFeatures, labels, classNames, testStart, newScale, checksum);
    }

    @Override
    public String toString() {
        return name + " " + features + " " + numClasses() + " classes, test part from " + testStart + ", " + checksum;
    }
}
