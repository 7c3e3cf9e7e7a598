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
 * @param plugin the build of the family the run was launched with; null in runs stored before it was recorded
 * @param sweep  what the batch asked of this run beyond its parameters (abort on exploding loss, its
 *               successive-halving rung); null when nothing
 * @param initFrom the weights the run starts from (transfer learning): the source run and the SHA-256 of its
 *                 checkpoint, by which a worker finds the content; null for a fresh start
 */
public record RunConfig(String family, String dataset, DataKind kind, Map<String, Object> params, EarlyStopping earlyStopping,
                        Plugin plugin, SweepRole sweep, InitialWeights initFrom) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Which JAR (by file name and SHA-256) and which version of the family trained the run. */
    public record Plugin(String jar, String version, String sha256) {}

    /**
     * The run's part in its batch.
     *
     * @param abortExploding stop the run (STOPPED, with the reason) once its training loss exceeds 3x its start
     * @param rung           the successive-halving rung (0 first), null outside halving
     * @param rungs          how many rungs the batch has
     * @param metric         what the rungs rank by
     * @param promotedFrom   the runs of the previous rung whose ranking promoted this configuration
     */
    public record SweepRole(boolean abortExploding, Integer rung, Integer rungs, String metric, java.util.List<Long> promotedFrom) {}

    public RunConfig(String family, String dataset, DataKind kind, Map<String, Object> params, EarlyStopping earlyStopping) {
        this(family, dataset, kind, params, earlyStopping, null, null, null);
    }

    public RunConfig(String family, String dataset, DataKind kind, Map<String, Object> params, EarlyStopping earlyStopping,
                     Plugin plugin) {
        this(family, dataset, kind, params, earlyStopping, plugin, null, null);
    }

    public RunConfig(String family, String dataset, DataKind kind, Map<String, Object> params, EarlyStopping earlyStopping,
                     Plugin plugin, SweepRole sweep) {
        this(family, dataset, kind, params, earlyStopping, plugin, sweep, null);
    }

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
        if (plugin != null) n.set("plugin", JSON.valueToTree(plugin));
        if (sweep != null) n.set("sweep", JSON.valueToTree(sweep));
        if (initFrom != null) n.set("initFrom", JSON.valueToTree(initFrom));
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
        Plugin plugin = n.hasNonNull("plugin") ? JSON.convertValue(n.get("plugin"), Plugin.class) : null;
        SweepRole sweep = n.hasNonNull("sweep") ? JSON.convertValue(n.get("sweep"), SweepRole.class) : null;
        InitialWeights init = n.hasNonNull("initFrom") ? JSON.convertValue(n.get("initFrom"), InitialWeights.class) : null;
        return new RunConfig(n.get("family").asText(), n.get("dataset").asText(), kind, params, early, plugin, sweep, init);
    }
}
