package dev.nnlab.catalog;

/**
 * Whether a named dataset can be loaded now, from where, and how big it is on disk.
 *
 * @param location a directory, a classpath folder, or "generated ..."; where it would be when missing
 * @param bytes    bytes on disk (compressed where the files are), -1 for generated datasets
 * @param howToGet what to run when it is missing; empty when available
 */
public record Availability(boolean available, String location, long bytes, String howToGet) {}
