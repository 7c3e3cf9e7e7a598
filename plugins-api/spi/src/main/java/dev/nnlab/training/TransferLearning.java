package dev.nnlab.training;

import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Range;
import dev.nnlab.nn.Sequential;
import dev.nnlab.optim.Checkpoint;
import dev.nnlab.optim.ParameterGroup;
import dev.nnlab.spi.InvalidParamException;
import dev.nnlab.spi.ParamSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Starting a network from another run's final weights ({@link CheckpointArtifact}): every
 * parameter but the classifier head is loaded, the head (the last layer with parameters) keeps its
 * fresh initialisation and may have another number of classes, and all but the last
 * {@code trainLast} layers with parameters are frozen through an optimizer {@link ParameterGroup}.
 *
 * <p>The parameters {@code initFrom} (a run id) and {@code trainLast} are the family's; the host
 * resolves the run to its checkpoint when it plans the batch (refusing a run that does not exist,
 * has no weights, or whose network does not match), records the run id and the checkpoint's SHA-256
 * in the run's configuration, and hands the file to the trial as {@code TrainingJob#initialWeights}.
 *
 * <p>A frozen layer's weights stay bit for bit as loaded. Batch-norm running statistics are buffers,
 * not parameters: in a frozen layer they still follow the new data in training mode, as in PyTorch
 * unless the layer is put in evaluation mode.
 *
 * <p>Stability: evolving.
 */
public final class TransferLearning {
    public static final String INIT_FROM = "initFrom";
    public static final String TRAIN_LAST = "trainLast";
    public static final String FROZEN_GROUP = "frozen";

    public static final ParamSpec INIT_FROM_SPEC = ParamSpec.ofInt(INIT_FROM, 0,
            "Start from the final weights of this run (its id; 0 = a fresh initialisation). Its network must match except "
                    + "for the classifier head, which is replaced (the number of classes may differ).").within(Range.atLeast(0));
    public static final ParamSpec TRAIN_LAST_SPEC = ParamSpec.ofInt(TRAIN_LAST, 0,
            "With initFrom: train only the last k layers with parameters (the new head is one of them) and freeze the rest; "
                    + "0 trains every layer.").within(Range.atLeast(0));
    public static final List<ParamSpec> PARAMS = List.of(INIT_FROM_SPEC, TRAIN_LAST_SPEC);

    private TransferLearning() {}

    /** The run id {@code initFrom} names, 0 for none (also when the family has no such parameter). */
    public static long initFrom(Map<String, Object> resolved) {
        Object v = resolved.get(INIT_FROM);
        return v == null ? 0 : ((Number) v).longValue();
    }

    /** Top-level layers holding trainable parameters, in order: the units {@code trainLast} counts. */
    static List<String> layersWithParameters(Sequential model) {
        Set<String> owners = new HashSet<>();
        for (Parameters.Entry e : model.params().entries()) {
            if (e.trainable()) owners.add(e.name().substring(0, e.name().indexOf('.') < 0 ? e.name().length() : e.name().indexOf('.')));
        }
        List<String> out = new ArrayList<>();
        for (String n : model.names()) if (owners.contains(n)) out.add(n);
        return out;
    }

    /** The classifier head: the last top-level layer with trainable parameters. */
    public static String head(Sequential model) {
        List<String> l = layersWithParameters(model);
        if (l.isEmpty()) throw new IllegalArgumentException("the network has no parameters to transfer");
        return l.getLast();
    }

    private static boolean under(String entry, String layer) {
        return entry.equals(layer) || entry.startsWith(layer + ".");
    }

    /**
     * Checks that {@code checkpoint} fits {@code model} outside the head, without changing the model:
     * every other entry is there with the same shape, and the file has no entry the model lacks.
     *
     * @throws InvalidParamException at {@code $.params.initFrom} naming the first difference
     * @throws IOException           when the file is unreadable or corrupt
     */
    public static void checkCompatible(Sequential model, Path checkpoint, long sourceRun) throws IOException {
        plan(model, Checkpoint.readEntries(checkpoint), sourceRun);
    }

    private static Map<Parameters.Entry, Checkpoint.Entry> plan(Sequential model, List<Checkpoint.Entry> stored, long sourceRun) {
        String head = head(model);
        Map<String, Checkpoint.Entry> byName = new LinkedHashMap<>();
        for (Checkpoint.Entry e : stored) byName.put(e.name(), e);
        Map<Parameters.Entry, Checkpoint.Entry> pairs = new LinkedHashMap<>();
        Set<String> used = new HashSet<>();
        for (Parameters.Entry e : model.params().entries()) {
            if (under(e.name(), head)) continue;
            Checkpoint.Entry s = byName.get(e.name());
            if (s == null) throw mismatch(sourceRun, "its weights have no " + e.name() + Arrays.toString(e.shape())
                    + ", which this network has", stored, model);
            if (!Arrays.equals(s.shape(), e.shape())) {
                throw mismatch(sourceRun, e.name() + " is " + Arrays.toString(s.shape()) + " in its weights but "
                        + Arrays.toString(e.shape()) + " in this network", stored, model);
            }
            pairs.put(e, s);
            used.add(e.name());
        }
        for (Checkpoint.Entry s : stored) {
            if (!used.contains(s.name()) && !under(s.name(), head)) {
                throw mismatch(sourceRun, "its weights have " + s.name() + Arrays.toString(s.shape())
                        + ", which this network lacks (its head is " + head + ")", stored, model);
            }
        }
        return pairs;
    }

    private static InvalidParamException mismatch(long run, String what, List<Checkpoint.Entry> stored, Sequential model) {
        return new InvalidParamException("$.params." + INIT_FROM, run, "a run whose network matches this one except for the "
                + "classifier head; run " + run + " does not: " + what + " (its weights hold " + stored.size()
                + " parameter entries, this network " + model.params().entries().size() + ")");
    }

    /**
     * Loads every parameter but the head's from {@code checkpoint} into {@code model} (initialise the
     * model first: the head keeps its initialisation) and returns the optimizer groups that freeze all
     * but the last {@code trainLast} layers with parameters (none when {@code trainLast} is 0 or covers them all).
     */
    public static List<ParameterGroup> apply(Sequential model, Path checkpoint, long sourceRun, int trainLast) throws IOException {
        Map<Parameters.Entry, Checkpoint.Entry> pairs = plan(model, Checkpoint.readEntries(checkpoint), sourceRun);
        float[] values = model.params().values;
        for (Map.Entry<Parameters.Entry, Checkpoint.Entry> p : pairs.entrySet()) {
            System.arraycopy(p.getValue().values(), 0, values, p.getKey().offset(), p.getKey().size());
        }
        return freezeAllBut(model, trainLast);
    }

    /** The group freezing every top-level layer with parameters except the last {@code trainLast}. */
    public static List<ParameterGroup> freezeAllBut(Sequential model, int trainLast) {
        List<String> layers = layersWithParameters(model);
        if (trainLast <= 0 || trainLast >= layers.size()) return List.of();
        List<String> frozen = layers.subList(0, layers.size() - trainLast);
        return List.of(ParameterGroup.matching(FROZEN_GROUP, e -> frozen.stream().anyMatch(l -> under(e.name(), l))).freeze());
    }
}
