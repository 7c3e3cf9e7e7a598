package dev.nnlab.store;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.Objects;

/**
 * What is known of a run before it starts.
 *
 * @param experimentId the experiment it belongs to
 * @param name         a display name
 * @param family       the model family, e.g. {@code "mlp"}
 * @param provenance   code, data and seed
 * @param config       the fully resolved configuration (every default filled in), or null
 * @param params       the hyperparameters to filter and sort on; values are numbers, booleans,
 *                     strings, or anything Jackson can write (stored as JSON text). See
 *                     {@link Param#flatten(JsonNode)} to derive them from {@code config}.
 */
public record NewRun(
        long experimentId,
        String name,
        String family,
        Provenance provenance,
        JsonNode config,
        Map<String, ?> params) {

    public NewRun {
        Objects.requireNonNull(name, "name");
        provenance = provenance == null ? Provenance.UNKNOWN : provenance;
        params = params == null ? Map.of() : params;
    }
}
