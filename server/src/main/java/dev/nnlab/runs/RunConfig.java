package dev.nnlab.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnlab.spi.TrainingJob;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run's fully resolved configuration, stored with the run: everything needed to train it again,
 * on this machine or a worker, and nothing else. {@link TrialRunner} reads only this.
 *
 * @param params every family parameter, defaults filled in
 * @param plugin the build of the family the run was launched with; null in runs stored before it was recorded
 */
public record RunConfig(String family, String dataset, Map<String, Object> params, TrainingJob.EarlyStopping earlyStopping,
                        Plugin plugin) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Which JAR (by file name and SHA-256) and which version of the family trained the run. */
    public record Plugin(String jar, String version, String sha256) {}

    public RunConfig(String family, String dataset, Map<String, Object> params, TrainingJob.EarlyStopping earlyStopping) {
        this(family, dataset, params, earlyStopping, null);
    }

    public JsonNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("family", family);
        n.put("dataset", dataset);
        n.set("params", JSON.valueToTree(params));
        if (earlyStopping != null) n.set("earlyStopping", JSON.valueToTree(earlyStopping));
        if (plugin != null) n.set("plugin", JSON.valueToTree(plugin));
        ObjectNode split = n.putObject("split");
        split.put("seed", PreparedData.SPLIT_SEED);
        split.put("stratified", true);
        split.put("testFractionWhenNoTestPart", PreparedData.TEST_FRACTION_WHEN_NONE);
        return n;
    }

    @SuppressWarnings("unchecked")
    public static RunConfig fromJson(JsonNode n) {
        Map<String, Object> params = new LinkedHashMap<>(JSON.convertValue(n.get("params"), Map.class));
        TrainingJob.EarlyStopping early = n.hasNonNull("earlyStopping")
                ? JSON.convertValue(n.get("earlyStopping"), TrainingJob.EarlyStopping.class) : null;
        Plugin plugin = n.hasNonNull("plugin") ? JSON.convertValue(n.get("plugin"), Plugin.class) : null;
        return new RunConfig(n.get("family").asText(), n.get("dataset").asText(), params, early, plugin);
    }
}
