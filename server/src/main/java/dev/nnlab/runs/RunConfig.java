package dev.nnlab.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnlab.data.LabelledPreparation;
import dev.nnlab.spi.DataKind;
import dev.nnlab.spi.EarlyStopping;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run's fully resolved configuration, stored with the run: everything needed to train it again,
 * on this machine or a worker, and nothing else. {@link TrialRunner} reads only this, and trusts it:
 * the parameters were resolved against the family's schema once, by the planner.
 *
 * @param params every family parameter, defaults filled in
 * @param kind   the kind of data the family gets; null in configurations stored before kinds were
 *               recorded (the runner then chooses it as the planner would have)
 */
public record RunConfig(String family, String dataset, DataKind kind, Map<String, Object> params, EarlyStopping earlyStopping) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public JsonNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("family", family);
        n.put("dataset", dataset);
        if (kind != null) {
            n.put("kind", kind.name());
            n.put("preparation", kind.preparation(params).key());
        }
        n.set("params", JSON.valueToTree(params));
        if (earlyStopping != null) n.set("earlyStopping", JSON.valueToTree(earlyStopping));
        if (kind == DataKind.VECTOR || kind == DataKind.IMAGE) {
            ObjectNode split = n.putObject("split");
            split.put("seed", LabelledPreparation.SPLIT_SEED);
            split.put("stratified", true);
            split.put("testFractionWhenNoTestPart", LabelledPreparation.TEST_FRACTION_WHEN_NONE);
        }
        return n;
    }

    @SuppressWarnings("unchecked")
    public static RunConfig fromJson(JsonNode n) {
        Map<String, Object> params = new LinkedHashMap<>(JSON.convertValue(n.get("params"), Map.class));
        EarlyStopping early = n.hasNonNull("earlyStopping") ? JSON.convertValue(n.get("earlyStopping"), EarlyStopping.class) : null;
        DataKind kind = n.hasNonNull("kind") ? DataKind.valueOf(n.get("kind").asText()) : null;
        return new RunConfig(n.get("family").asText(), n.get("dataset").asText(), kind, params, early);
    }
}
