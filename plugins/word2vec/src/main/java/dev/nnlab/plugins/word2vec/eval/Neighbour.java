package dev.nnlab.plugins.word2vec.eval;

/** A word and its cosine similarity to a query. */
public record Neighbour(String word, double similarity) {}
