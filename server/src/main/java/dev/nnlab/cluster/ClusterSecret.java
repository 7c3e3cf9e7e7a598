package dev.nnlab.cluster;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret every member of a cluster shares. Hazelcast's Community Edition has no authentication and no
 * TLS, so the secret works through what it does have: the cluster name, which a joining member must match
 * exactly, is derived from the secret (a member without it finds no cluster to join), and every member
 * publishes a proof (an HMAC of a fresh nonce and its address) that the coordinator checks before it
 * sends the member a trial. This keeps out members started by mistake or by someone who does not know the
 * secret; it does not hide traffic from someone who can read the network (the derived name and the
 * trials travel in clear), so use it on networks you trust, or over a VPN.
 */
public final class ClusterSecret {
    /** The fewest bytes a secret may have: a short one would be guessed from the cluster name it derives. */
    public static final int MIN_BYTES = 16;
    public static final String ENV = "NNLAB_CLUSTER_SECRET";

    private final byte[] key;

    public ClusterSecret(byte[] key) {
        if (key.length < MIN_BYTES) {
            throw new IllegalArgumentException("the cluster secret has " + key.length + " byte(s); it needs at least " + MIN_BYTES
                    + " (e.g. head -c 32 /dev/urandom | base64 > cluster.secret)");
        }
        this.key = key.clone();
    }

    /**
     * The secret of {@code file} (its text, surrounding white space removed) when given, else of the environment
     * variable {@link #ENV}; null when neither is set.
     */
    public static ClusterSecret resolve(Path file, String env) {
        if (file != null) {
            String text;
            try {
                text = Files.readString(file).strip();
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("--secret-file: " + file + ": no such file");
            } catch (IOException e) {
                throw new IllegalArgumentException("--secret-file: " + file + " cannot be read: " + e.getMessage());
            }
            try {
                return new ClusterSecret(text.getBytes(StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--secret-file: " + file + ": " + e.getMessage());
            }
        }
        if (env == null || env.isBlank()) return null;
        try {
            return new ClusterSecret(env.strip().getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ENV + ": " + e.getMessage());
        }
    }

    /** {@code name} and 16 hex digits of the secret's HMAC of it: the same on every member with this secret. */
    String clusterName(String name) {
        return name + "-" + hmac("cluster:" + name).substring(0, 16);
    }

    /** A proof of the secret for the member at {@code address}: a fresh nonce and the HMAC of nonce and address. */
    String proof(String address) {
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        String n = HexFormat.of().formatHex(nonce);
        return n + ":" + hmac("member:" + n + ":" + address);
    }

    /** Whether {@code proof} was made with this secret for {@code address}. */
    boolean verify(String proof, String address) {
        if (proof == null) return false;
        int colon = proof.indexOf(':');
        if (colon <= 0) return false;
        byte[] expected = hmac("member:" + proof.substring(0, colon) + ":" + address).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, proof.substring(colon + 1).getBytes(StandardCharsets.US_ASCII));
    }

    private String hmac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
