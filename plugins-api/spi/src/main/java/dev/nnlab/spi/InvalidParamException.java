package dev.nnlab.spi;

/**
 * A user-supplied value that a schema does not allow. The message names where the value came from
 * (a JSON path like {@code $.params.lr}), the value, and what is allowed; the CLI turns it into
 * exit code 2 and the HTTP API into a 400 with the same fields.
 *
 * <p>Stability: stable.
 */
public final class InvalidParamException extends RuntimeException {
    private final String path;
    private final String value;
    private final String allowed;

    public InvalidParamException(String path, Object value, String allowed) {
        super(path + ": " + render(value) + " is not allowed; expected " + allowed);
        this.path = path;
        this.value = render(value);
        this.allowed = allowed;
    }

    public String path() { return path; }
    public String value() { return value; }
    public String allowed() { return allowed; }

    private static String render(Object v) {
        if (v == null) return "null";
        if (v instanceof String s) return "\"" + s + "\"";
        return String.valueOf(v);
    }
}
