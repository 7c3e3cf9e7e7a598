package dev.nnlab.spi;

/**
 * What shape of data a family trains on. Stability: stable; may grow.
 */
public enum DataKind {
    /** Labelled feature vectors (N, F). */
    VECTOR,
    /** Labelled images (N, C, H, W); a family that flattens (MLP, softmax) accepts these too. */
    IMAGE,
    /** A token corpus (language models, word embeddings). */
    TEXT
}
