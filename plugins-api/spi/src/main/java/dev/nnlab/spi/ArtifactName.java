package dev.nnlab.spi;

/**
 * The rules for an artifact's name and media type, declared once: every {@link RunSink} applies
 * them before it keeps anything. A name is shown in lists and URLs and offered as a download's file
 * name, so it must be one plain path segment; the media type becomes a {@code Content-Type} header,
 * so it must be a bare {@code type/subtype} with optional parameters.
 *
 * <p>Stability: stable.
 */
public final class ArtifactName {
    public static final int MAX_LENGTH = 200;

    private static final String TOKEN = "[A-Za-z0-9!#$&^_.+-]+";
    private static final java.util.regex.Pattern MEDIA_TYPE = java.util.regex.Pattern.compile(
            TOKEN + "/" + TOKEN + "(\\s*;\\s*" + TOKEN + "=(" + TOKEN + "|\"[^\"\\\\\\p{Cntrl}]*\"))*");

    private ArtifactName() {}

    /**
     * Returns {@code name} when it is allowed: 1 to {@value #MAX_LENGTH} characters, no {@code /} or
     * {@code \}, not {@code .} and no {@code ..}, no control characters.
     *
     * @throws IllegalArgumentException naming the value and what is allowed
     */
    public static String check(String name) {
        if (name == null || name.isEmpty()) throw refused(name, "it is empty");
        if (name.length() > MAX_LENGTH) throw refused(name.substring(0, 40) + "...", "it has " + name.length() + " characters");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\') throw refused(name, "it contains '" + c + "'");
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                throw refused(name, String.format("it contains the control character U+%04X", (int) c));
            }
        }
        if (name.contains("..")) throw refused(name, "it contains '..'");
        if (name.equals(".")) throw refused(name, "it is '.'");
        if (name.isBlank()) throw refused(name, "it is blank");
        return name;
    }

    /**
     * Returns {@code mediaType} when it is a media type such as {@code image/png} or
     * {@code text/plain; charset=utf-8}.
     *
     * @throws IllegalArgumentException naming the value and what is allowed
     */
    public static String checkMediaType(String mediaType) {
        if (mediaType == null || mediaType.length() > MAX_LENGTH || !MEDIA_TYPE.matcher(mediaType).matches()) {
            throw new IllegalArgumentException("artifact media type " + quote(mediaType) + " is not allowed; expected "
                    + "type/subtype with optional ;key=value parameters, e.g. image/png or text/plain; charset=utf-8");
        }
        return mediaType;
    }

    private static IllegalArgumentException refused(String name, String why) {
        return new IllegalArgumentException("artifact name " + quote(name) + " is not allowed (" + why + "); expected 1 to "
                + MAX_LENGTH + " characters without '/', '\\', '..' or control characters, e.g. confusion_matrix.json");
    }

    /** The value in quotes, control characters escaped so that the message itself stays one clean line. */
    private static String quote(String s) {
        if (s == null) return "null";
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }
}
