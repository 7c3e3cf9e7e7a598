package dev.nnlab.cli;

import dev.nnlab.http.ApiServer;
import dev.nnlab.runs.Workbench;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code ./nnlab serve}: the web UI and the HTTP API of server/API.md, until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serves the web UI and the HTTP API (server/API.md) until Ctrl-C.",
                "Binds 127.0.0.1 unless told otherwise; another address needs a token (generated and printed if not given)."})
final class ServeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", defaultValue = "7070", description = "TCP port (default ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to bind (default ${DEFAULT-VALUE}). Not loopback: every /api call needs the token.")
    String bindHost;

    @Option(names = "--token", paramLabel = "T", description = "Bearer token every /api call must carry (?token=T for EventSource).")
    String token;

    /** Runs of the queue waiting at once for a worker's slot on a cluster (ApiServer's upper limit of concurrency). */
    static final int CLUSTER_DISPATCH = 64;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "1",
            description = "Runs the server trains at once (default ${DEFAULT-VALUE}); kernel threads are shared out between them. "
                    + "With --cluster the workers' slots decide instead.")
    int concurrency;

    @Mixin
    HostOptions host;

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() throws InterruptedException {
        boolean generated = token == null && !ApiServer.isLoopbackAddress(bindHost);
        String t = generated ? Serving.newToken() : token;
        ApiServer.Options options = ApiServer.Options.defaults().withHost(bindHost).withPort(port).withToken(t)
                .withConcurrency(concurrency);
        dev.nnlab.cluster.ClusterSettings onCluster = cluster.settings();
        Workbench wb = host.open();
        ApiServer server;
        try {
            if (onCluster == null) {
                server = Serving.start(wb, options);
            } else {
                // On a cluster the workers' slots decide how many runs train at once: the queue only waits for them.
                server = Serving.start(wb, options.withConcurrency(CLUSTER_DISPATCH), ClusterOptions.join(onCluster, wb.store()));
            }
        } catch (RuntimeException e) {
            wb.close();
            throw e;
        }
        Serving.announce(server, host.store(), t, generated, System.out);
        return Serving.untilStopped(server, wb);
    }
}
