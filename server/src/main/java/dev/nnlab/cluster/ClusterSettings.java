package dev.nnlab.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How a process takes part in an nnlab cluster: the cluster's name, the fixed members it joins over
 * TCP/IP, the address and port it binds, the shared secret (null on loopback without one) and, for a
 * worker, how many trials it trains at once.
 *
 * @param port   the port to bind; 0 means 5701, or the next free one above it
 * @param slots  trials a worker trains at once (a coordinator trains none)
 */
public record ClusterSettings(String name, List<String> members, String bind, int port, ClusterSecret secret, int slots) {
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 5701;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /**
     * Checks everything before a member starts, each failure naming the option, the value and what is
     * allowed: a non-loopback address (bound or joined) needs the shared secret.
     *
     * @throws IllegalArgumentException with the message for the user
     */
    public ClusterSettings {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("--cluster: \"" + name + "\" is not allowed; expected 1 to 64 letters, digits, '.', '_' or '-'");
        }
        if (members == null || members.isEmpty()) {
            throw new IllegalArgumentException("--members: give at least one HOST:PORT of a worker, e.g. 127.0.0.1:5701");
        }
        for (String m : members) hostOf(m);
        members = List.copyOf(members);
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port: " + port + " is not allowed; expected 1 to 65535");
        if (slots < 0 || slots > 64) throw new IllegalArgumentException("--slots: " + slots + " is not allowed; expected 1 to 64");
        if (secret == null) {
            if (!isLoopback(bind)) {
                throw new IllegalArgumentException("--bind: " + bind + " is not a loopback address; joining a cluster over the network "
                        + "needs a shared secret (--secret-file FILE or NNLAB_CLUSTER_SECRET), the same on every member");
            }
            for (String m : members) {
                if (!isLoopback(hostOf(m))) {
                    throw new IllegalArgumentException("--members: " + m + " is not a loopback address; joining a cluster over the network "
                            + "needs a shared secret (--secret-file FILE or NNLAB_CLUSTER_SECRET), the same on every member");
                }
            }
        }
    }

    /** The name Hazelcast sees: with a secret, derived from it, so a member without the secret finds no cluster to join. */
    public String clusterName() {
        return secret == null ? name : secret.clusterName(name);
    }

    static String hostOf(String member) {
        int colon = member.lastIndexOf(':');
        String host = colon <= 0 ? "" : member.substring(0, colon);
        int port;
        try {
            port = colon < 0 ? -1 : Integer.parseInt(member.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (host.isBlank() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("--members: \"" + member + "\" is not allowed; expected HOST:PORT with a port 1 to 65535, "
                    + "comma-separated, e.g. 127.0.0.1:5701,127.0.0.1:5702");
        }
        return host;
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
