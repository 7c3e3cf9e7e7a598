package dev.nnlab.data;

import dev.nnlab.spi.DataKind;

import java.util.List;
import java.util.Locale;

/**
 * Labelled tensors ready to train on: vectors {@code (N, D)} or images {@code (N, C, H, W)} with one
 * class index per sample, split into train / validation / test and preprocessed (statistics fitted
 * on the train part only). {@code validation} and {@code test} may be empty, never null.
 *
 * <p>Stability: stable.
 */
public record LabelledTensors(Dataset train, Dataset validation, Dataset test, String description) implements TrainingData {

    public LabelledTensors {
        if (train == null || validation == null || test == null) throw new IllegalArgumentException("train, validation and test must not be null");
        if (!train.classNames().equals(validation.classNames()) || !train.classNames().equals(test.classNames())) {
            throw new IllegalArgumentException("train, validation and test have different class names");
        }
    }

    /** The three parts as they are, described by their sizes. */
    public static LabelledTensors of(Dataset train, Dataset validation, Dataset test) {
        return new LabelledTensors(train, validation, test, String.format(Locale.ROOT, "%s: %d train / %d val / %d test",
                train.name(), train.size(), validation.size(), test.size()));
    }

    /** {@link DataKind#IMAGE} for samples of rank 2 or more ({@code (C, H, W)}), else {@link DataKind#VECTOR}. */
    @Override public DataKind kind() { return train.sampleShape().length > 1 ? DataKind.IMAGE : DataKind.VECTOR; }

    @Override public String name() {
        String n = train.name();
        return n.endsWith(":train") ? n.substring(0, n.length() - ":train".length()) : n;
    }

    @Override public String checksum() { return train.checksum(); }

    public List<String> classNames() { return train.classNames(); }

    public int numClasses() { return train.numClasses(); }

    /** The shape of one sample: {@code (1, 28, 28)} for MNIST, {@code (2)} for spirals. */
    public int[] sampleShape() { return train.sampleShape(); }

    /** The three parts, with the training part's pixel codes. */
    @Override public long heapBytes() { return bytes(train) + bytes(validation) + bytes(test); }

    @Override public String describe() { return description; }

    private static long bytes(Dataset d) {
        return (long) d.size() * d.featureCount() * Float.BYTES + (long) d.size() * Integer.BYTES
                + (d.pixelCodes() == null ? 0 : d.pixelCodes().length);
    }
}
