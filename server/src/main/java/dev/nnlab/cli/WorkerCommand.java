package dev.nnlab.cli;

import dev.nnlab.cluster.ClusterSettings;
import dev.nnlab.cluster.WorkerNode;
import dev.nnlab.runs.Workbench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code ./nnlab worker}: a member of an nnlab cluster that trains the trials sent to it, until Ctrl-C. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Joins an nnlab cluster (Hazelcast, TCP/IP to fixed members) and trains the trials that",
                "'run --cluster' and 'serve --cluster' send it, on its own plugins and data directory, writing",
                "their points to the shared store (--db, the same as theirs). Binds 127.0.0.1 unless told",
                "otherwise; another address needs the cluster's shared secret. Ctrl-C stops its trials after",
                "their current step and leaves; the coordinator trains them again on another worker."})
final class WorkerCommand implements Callable<Integer> {

    @Option(names = "--cluster", paramLabel = "NAME", required = true, description = "The cluster's name, the same on every member.")
    String cluster;

    @Option(names = "--members", paramLabel = "HOST:PORT", split = ",", required = true,
            description = "Members to join, comma-separated (this worker's own address may be among them).")
    List<String> members;

    @Option(names = "--port", paramLabel = "P", defaultValue = "0",
            description = "The port to listen on for the cluster (default: 5701 or the next free one).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = ClusterSettings.DEFAULT_BIND,
            description = "The address to listen on (default ${DEFAULT-VALUE}); not loopback needs the secret.")
    String bind;

    @Option(names = "--slots", paramLabel = "N", defaultValue = "1",
            description = "Trials trained at once (default ${DEFAULT-VALUE}); kernel threads are shared out between them.")
    int slots;

    @Option(names = "--secret-file", paramLabel = "FILE",
            description = "The cluster's shared secret (default: $NNLAB_CLUSTER_SECRET); needed when any address is not loopback.")
    Path secretFile;

    @Mixin
    HostOptions host;

    @Override
    public Integer call() throws InterruptedException {
        if (slots < 1 || slots > 64) throw new InputError("--slots: " + slots + " is not allowed; expected 1 to 64");
        ClusterSettings settings = ClusterOptions.settings(cluster, members, bind, port, secretFile, slots);
        Workbench wb = host.open();
        WorkerNode node;
        try {
            node = WorkerNode.start(settings, wb);
        } catch (RuntimeException e) {
            wb.close();
            throw e;
        }
        // The store is named as --db gave it: the worker opens it as run and serve do (HostOptions.open).
        System.out.println("nnlab worker " + node.name() + " in cluster " + settings.name() + " (" + slots + " slot(s); families " + wb.plugins().families().keySet() + "); Ctrl-C leaves");
        System.out.flush();
        CountDownLatch left = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                wb.close();
            } finally {
                left.countDown();
            }
        }, "nnlab-worker-shutdown"));
        left.await();
        return 0;
    }
}
