package dev.nnlab.cli;

import dev.nnlab.http.ApiServer;
import dev.nnlab.runs.RunQueue;
import dev.nnlab.runs.Workbench;
import dev.nnlab.sweep.SpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code ./nnlab quickstart}: queues the shipped {@code experiments/quickstart.json} (an MLP on the
 * bundled 10,000 MNIST digits: works offline on a fresh clone) on a local server and prints its
 * URL, so the curves can be watched while they train.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"Runs experiments/quickstart.json (6 MLPs on bundled MNIST digits, about a minute) on a local",
                "server and prints the URL of the web UI, where the runs train live. Ctrl-C stops."})
final class QuickstartCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "N", defaultValue = "7070",
            description = "TCP port (default ${DEFAULT-VALUE}; a free one is picked if it is taken).")
    int port;

    @Mixin
    HostOptions host;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path home = HostOptions.home();
        Path specFile = (home != null ? home : Path.of("")).resolve("experiments").resolve("quickstart.json");
        String json;
        try {
            json = Files.readString(specFile);
        } catch (NoSuchFileException e) {
            throw new InputError(specFile + ": no such file (quickstart runs from an nnlab checkout)");
        }
        Workbench wb = host.open();
        ApiServer server;
        RunQueue.Launch launch;
        try {
            server = startOnFreePortIfTaken(wb);
            try {
                launch = server.queue().submit(specFile.toString(), json);
            } catch (SpecException e) {
                server.close();
                throw new InputError(e.getMessage());
            }
        } catch (RuntimeException e) {
            wb.close();
            throw e;
        }
        System.err.printf("experiment %s: %d runs queued (#%d-#%d) in %s%n", launch.experiment().name(),
                launch.runIds().size(), launch.runIds().getFirst(), launch.runIds().getLast(), host.store());
        Serving.announce(server, host.store(), null, false, System.out);
        return Serving.untilStopped(server, wb);
    }

    private ApiServer startOnFreePortIfTaken(Workbench wb) {
        ApiServer.Options options = ApiServer.Options.defaults().withPort(port);
        try {
            return Serving.start(wb, options);
        } catch (InputError taken) {
            if (port == 0) throw taken;
            System.err.println("port " + port + " is taken; using a free one");
            return Serving.start(wb, options.withPort(0));
        }
    }
}
