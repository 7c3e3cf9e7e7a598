package dev.nnlab.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

import java.util.Map;

/**
 * The Hazelcast configuration of an nnlab member: bound to one address (loopback by default), TCP/IP join
 * to the fixed members and nothing else (no multicast, no cloud discovery), no phone-home, logging
 * through SLF4J (warnings only, like the rest of nnlab), and one executor, {@link #EXECUTOR}, with a
 * thread per slot.
 */
final class ClusterConfigs {
    static final String EXECUTOR = "nnlab-trials";
    static final String ATTR_SLOTS = "nnlab.slots";
    static final String ATTR_PROOF = "nnlab.proof";
    static final String ATTR_WORKER = "nnlab.worker";
    static final String CONTEXT_WORKER = "nnlab.worker";

    private ClusterConfigs() {}

    /**
     * Starts a member; {@code lite} for a coordinator, which holds no data and trains nothing (Hazelcast
     * lite member), {@code worker} (may be null) is handed to the trials that arrive on this member.
     */
    static HazelcastInstance start(ClusterSettings s, boolean lite, Object worker, String workerLabel) {
        // Hazelcast's first lines come before it reads the configuration: route them through SLF4J too.
        if (System.getProperty("hazelcast.logging.type") == null) System.setProperty("hazelcast.logging.type", "slf4j");
        Config c = new Config();
        c.setClusterName(s.clusterName());
        c.setInstanceName("nnlab-" + (lite ? "coordinator" : "worker") + "-" + java.util.UUID.randomUUID());
        c.setLiteMember(lite);
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.setProperty("hazelcast.phone.home.enabled", "false");
        // The worker stops its trials and leaves on its own shutdown; Hazelcast's hook would leave first.
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        c.setProperty("hazelcast.socket.bind.any", "false");
        // Fixed members on a LAN: no need for Hazelcast's 5 s wait for more members before joining.
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        // A member that stops answering (a killed machine, no FIN on the wire) leaves within seconds, not a minute.
        c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        c.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
        // Trials and answers are the only Java-serialized objects nnlab sends; refuse every other class on arrival,
        // so a member cannot be fed a deserialization gadget.
        JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig();
        filter.getWhitelist().addPackages("dev.nnlab.cluster", "dev.nnlab.store")
                .addClasses("java.lang.Long", "java.lang.Number", "java.lang.Enum", "java.lang.String");
        c.getSerializationConfig().setJavaSerializationFilterConfig(filter);
        NetworkConfig n = c.getNetworkConfig();
        n.setPort(s.port() == 0 ? ClusterSettings.DEFAULT_PORT : s.port()).setPortAutoIncrement(s.port() == 0);
        n.getInterfaces().setEnabled(true).addInterface(s.bind());
        JoinConfig j = n.getJoin();
        j.getMulticastConfig().setEnabled(false);
        j.getAutoDetectionConfig().setEnabled(false);
        j.getTcpIpConfig().setEnabled(true).setMembers(s.members()).setConnectionTimeoutSeconds(2);
        c.getExecutorConfig(EXECUTOR).setPoolSize(Math.max(1, s.slots())).setStatisticsEnabled(false);
        c.getMemberAttributeConfig().setAttribute(ATTR_SLOTS, String.valueOf(lite ? 0 : s.slots()));
        if (workerLabel != null) c.getMemberAttributeConfig().setAttribute(ATTR_WORKER, workerLabel);
        if (s.secret() != null) c.getMemberAttributeConfig().setAttribute(ATTR_PROOF, s.secret().proof(hostAddress(s.bind())));
        if (worker != null) c.setUserContext(new java.util.concurrent.ConcurrentHashMap<>(Map.of(CONTEXT_WORKER, worker)));
        return Hazelcast.newHazelcastInstance(c);
    }

    /** The IP literal of {@code host}, as a member's address shows it. */
    static String hostAddress(String host) {
        try {
            return java.net.InetAddress.getByName(host).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("--bind: " + host + " is not an address of this machine: " + e.getMessage());
        }
    }
}
