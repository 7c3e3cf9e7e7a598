package dev.nnlab.cli;

import dev.nnlab.cluster.ClusterSecret;
import dev.nnlab.cluster.ClusterSettings;
import dev.nnlab.cluster.ClusterTrialExecutor;
import dev.nnlab.store.Store;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The options of {@code run} and {@code serve} that send trials to the workers of a cluster instead of training them here. */
public final class ClusterOptions {
    /** How long a trial waits for a worker when none is in the cluster. */
    static final Duration MEMBER_WAIT = Duration.ofSeconds(60);

    @Option(names = "--cluster", paramLabel = "NAME", description = "Train the trials on the workers of this nnlab cluster "
            + "(./nnlab worker --cluster NAME) instead of in this process; needs --members.")
    String name;

    @Option(names = "--members", paramLabel = "HOST:PORT", split = ",", description = "With --cluster: workers to join, comma-separated.")
    List<String> members;

    @Option(names = "--secret-file", paramLabel = "FILE", description = "With --cluster: the cluster's shared secret "
            + "(default: $NNLAB_CLUSTER_SECRET); needed when any address is not loopback.")
    Path secretFile;

    @Option(names = "--cluster-bind", paramLabel = "ADDR", defaultValue = ClusterSettings.DEFAULT_BIND,
            description = "With --cluster: the address this process joins from (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--cluster-port", paramLabel = "P", defaultValue = "0",
            description = "With --cluster: the port this process listens on for the cluster (default: 5701 or the next free one).")
    int port;

    /** The settings of this process's membership (a coordinator, no slots); null without --cluster. */
    ClusterSettings settings() {
        if (name == null && members == null) return null;
        if (name == null) throw new InputError("--members needs --cluster NAME");
        return settings(name, members == null ? List.of() : members, bind, port, secretFile, 0);
    }

    static ClusterSettings settings(String name, List<String> members, String bind, int port, Path secretFile, int slots) {
        try {
            return new ClusterSettings(name, members, bind, port, ClusterSecret.resolve(secretFile, System.getenv(ClusterSecret.ENV)), slots);
        } catch (IllegalArgumentException e) {
            throw new InputError(e.getMessage());
        }
    }

    /** Joins the cluster as a coordinator that sends trials to the workers and trains none. */
    static ClusterTrialExecutor join(ClusterSettings settings, Store store) {
        ClusterTrialExecutor executor = ClusterTrialExecutor.join(settings, store, MEMBER_WAIT);
        System.err.println("cluster " + settings.name() + ": " + executor.workers().size() + " worker(s), "
                + executor.capacity() + " slot(s)" + (executor.workers().isEmpty() ? "; waiting up to " + MEMBER_WAIT.toSeconds()
                + " s for one (./nnlab worker --cluster " + settings.name() + " --members ...)" : ""));
        return executor;
    }
}
