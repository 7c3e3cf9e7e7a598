package dev.nnlab.sweep;

/**
 * A bad experiment spec: names the source (file or request), the JSON path, the value and what is
 * allowed. The CLI exits 2 with this message; the HTTP API answers 400 with its fields.
 */
public final class SpecException extends RuntimeException {
    private final String source;
    private final String path;

    public SpecException(String source, String path, String message) {
        super(source + ": " + path + ": " + message);
        this.source = source;
        this.path = path;
    }

    public String source() { return source; }
    public String path() { return path; }

    /** The message without the source prefix, for field-level API errors. */
    public String detail() {
        String m = getMessage();
        String prefix = source + ": " + path + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }
}
