package dev.nnlab.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.nnlab.store.Experiment;
import dev.nnlab.store.NewRun;
import dev.nnlab.store.Provenance;
import dev.nnlab.store.Store;

import java.nio.file.Path;
import java.util.Map;

/**
 * A stand-in for a CLI batch in its own JVM: records a run, marks it RUNNING as its owner (its own
 * pid and start time), prints the run's id, then heartbeats until it is killed.
 */
public final class RunHoldingProcess {
    private RunHoldingProcess() {}

    public static void main(String[] args) throws Exception {
        Store store = Store.open(Path.of(args[0]));
        Experiment e = store.experiments().getOrCreate("held", null);
        long id = store.runs().create(new NewRun(e.id(), "held by another process", "mlp",
                new Provenance("mlp", "0", "test", null, 1L, "xor", null), JsonNodeFactory.instance.objectNode(), Map.of())).id();
        store.runs().markRunning(id);
        System.out.println(id);
        System.out.flush();
        while (true) {
            store.runs().heartbeat(id);
            Thread.sleep(200);
        }
    }
}
