package dev.nnlab.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The checksum format of datasets: {@code "sha256:<64 hex digits>"}. Stability: evolving. */
public final class Sha256 {
    private Sha256() {}

    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public static String hex(byte[] hash) { return HexFormat.of().formatHex(hash); }

    /** {@code "sha256:" + hex(sha256(utf8(text)))}. */
    public static String ofText(String text) {
        return "sha256:" + hex(digest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
