package dev.nnlab.catalog;

import java.io.IOException;

/** A named dataset whose files are not there; the message says where nnlab looked and how to get it. */
public final class DatasetUnavailableException extends IOException {
    public DatasetUnavailableException(String message) {
        super(message);
    }
}
