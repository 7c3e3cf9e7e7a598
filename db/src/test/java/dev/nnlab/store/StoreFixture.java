package dev.nnlab.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/** Builds the runs the tests talk about. */
final class StoreFixture {

    private StoreFixture() {
    }

    static Run run(Store store, String name, Map<String, ?> params) {
        return run(store, "default", name, params);
    }

    static Run run(Store store, String experiment, String name, Map<String, ?> params) {
        return run(store, experiment, name, 7, params);
    }

    static Run run(Store store, String experiment, String name, long seed, Map<String, ?> params) {
        Experiment e = store.experiments().getOrCreate(experiment, null);
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        config.put("name", name);
        Provenance provenance = new Provenance("mlp", "0.1.0", "0.1.0-SNAPSHOT", "abc123", seed, "mnist", "md5:6bbc");
        return store.runs().create(new NewRun(e.id(), name, "mlp", provenance, config, params));
    }
}
