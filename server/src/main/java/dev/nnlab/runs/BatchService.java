package dev.nnlab.runs;

import dev.nnlab.data.LabelledTensors;
import dev.nnlab.data.SequenceSamples;
import dev.nnlab.data.TokenStreams;
import dev.nnlab.data.Preparation;
import dev.nnlab.data.TrainingData;
import dev.nnlab.catalog.Availability;
import dev.nnlab.catalog.CatalogEntry;
import dev.nnlab.host.LoadedFamily;
import dev.nnlab.host.PluginRegistry;
import dev.nnlab.lessons.Lesson;
import dev.nnlab.lessons.LessonPlanCheck;
import dev.nnlab.spi.DataKind;
import dev.nnlab.spi.EarlyStopping;
import dev.nnlab.spi.InvalidParamException;
import dev.nnlab.store.Experiment;
import dev.nnlab.store.NewRun;
import dev.nnlab.store.Provenance;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;
import dev.nnlab.sweep.ExperimentSpec;
import dev.nnlab.sweep.SpecException;
import dev.nnlab.sweep.HalvingPlanner;
import dev.nnlab.sweep.SpecParts;
import dev.nnlab.sweep.SweepOptions;
import dev.nnlab.sweep.SweepPlanner;
import dev.nnlab.sweep.Trial;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Experiment batches, for the CLI and the HTTP API alike: {@link #plan} validates a spec completely
 * without writing anything, down to whether each trial fits in the heap ({@link MemoryBudget});
 * {@link #record} stores the experiment and one QUEUED run per trial with
 * its provenance; {@link #execute} trains them, {@code parallel} at a time.
 */
public final class BatchService {
    private final Store store;
    private final PluginRegistry plugins;
    private final DataCache data;
    private final String nnlabVersion;
    private final String gitCommit;
    private final MemoryBudget memory = new MemoryBudget();

    public BatchService(Store store, PluginRegistry plugins, DataCache data, String nnlabVersion, String gitCommit) {
        this.store = store;
        this.plugins = plugins;
        this.data = data;
        this.nnlabVersion = nnlabVersion;
        this.gitCommit = gitCommit;
    }

    /** A validated batch, not yet stored; {@code kind} is the kind of data the family gets from the dataset. */
    public record Plan(ExperimentSpec spec, LoadedFamily family, DataKind kind, List<Trial> trials, int rung,
                       List<List<Long>> promotedFrom) {
        public Plan(ExperimentSpec spec, LoadedFamily family, DataKind kind, List<Trial> trials) {
            this(spec, family, kind, trials, 0, List.of());
        }

        /** The spec's abortExploding and halving. */
        public SweepOptions options() {
            return SweepOptions.parse(spec.name(), spec.document());
        }

        /** The spec's lesson, already checked by {@link #plan}; null when it has none. */
        public Lesson lesson() {
            return Lesson.parse(spec.name(), spec.document().get("lesson"));
        }
    }

    /** A stored batch: run ids in trial order. */
    public record Batch(Experiment experiment, Plan plan, List<Long> runIds) {}

    public Plan plan(String source, String json) {
        ExperimentSpec spec = ExperimentSpec.parse(source, json);
        LoadedFamily family = plugins.family(spec.family());
        if (family == null) {
            throw new SpecException(source, "$.family", "unknown model family \"" + spec.family() + "\"; loaded: "
                    + plugins.families().keySet() + (plugins.failures().isEmpty() ? "" : " (see ./nnlab plugins for load failures)"));
        }
        CatalogEntry entry;
        try {
            entry = data.catalog().entry(spec.dataset());
        } catch (IllegalArgumentException e) {
            throw new SpecException(source, "$.dataset", e.getMessage());
        }
        DataKind kind = DataCache.kindFor(entry, family.family().dataKinds());
        if (kind == null) {
            throw new SpecException(source, "$.dataset", "dataset \"" + spec.dataset() + "\" holds " + names(entry.kinds())
                    + "; family " + family.id() + " accepts " + names(family.family().dataKinds()));
        }
        Availability a = entry.availability();
        if (!a.available()) {
            throw new SpecException(source, "$.dataset", "dataset \"" + spec.dataset() + "\" is not available at "
                    + a.location() + "; " + a.howToGet());
        }
        List<Trial> trials = SweepPlanner.plan(source, spec, family.family().params());
        LessonPlanCheck.validate(source, Lesson.parse(source, spec.document().get("lesson")), trials, family.family().params());
        checkMemory(source, spec, family, kind, trials);
        return new Plan(spec, family, kind, trials);
    }

    /**
     * Refuses a batch with a trial that cannot fit in the heap ({@link MemoryBudget}). The estimate
     * speaks of labelled samples, so vectors and images are checked; the data is prepared here, into
     * the cache that {@link #record} then reads.
     */
    private void checkMemory(String source, ExperimentSpec spec, LoadedFamily family, DataKind kind, List<Trial> trials) {
        if (kind == DataKind.TEXT_CORPUS || trials.isEmpty()) return;
        // Labelled data keeps its shape under every preparation; token streams and sequence tasks are checked per
        // distinct preparation (a grid over taskLength or vocabSize changes the shape).
        Map<String, List<Trial>> byPreparation = new LinkedHashMap<>();
        for (Trial t : trials) {
            String key = kind == DataKind.VECTOR || kind == DataKind.IMAGE ? "" : kind.preparation(t.params()).key();
            byPreparation.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(t);
        }
        for (List<Trial> group : byPreparation.values()) {
            TrainingData prepared;
            try {
                prepared = data.prepare(spec.dataset(), kind, kind.preparation(group.getFirst().params()));
            } catch (IOException | IllegalArgumentException | UnsupportedOperationException e) {
                throw new SpecException(source, "$.dataset", "dataset \"" + spec.dataset() + "\" as " + kind + ": " + e.getMessage());
            }
            if (prepared instanceof LabelledTensors labelled) {
                memory.check(source, family, group, labelled.sampleShape(), labelled.numClasses());
            } else if (prepared instanceof TokenStreams tokens) {
                // A token is the sample; the vocabulary is the classes of next-token prediction.
                memory.check(source, family, group, new int[0], tokens.vocabulary().size());
            } else if (prepared instanceof SequenceSamples seq) {
                memory.check(source, family, group, new int[] {seq.steps(), seq.channels()}, seq.isAdding() ? 1 : SequenceSamples.ALPHABET);
            }
        }
    }

    private static String names(java.util.Collection<DataKind> kinds) {
        return kinds.stream().sorted().map(DataKind::name).toList().toString();
    }

    /**
     * Prepares the data of every distinct preparation among the trials (so that a dataset that cannot
     * be loaded or prepared is refused here, and the trials find it in the cache), then stores the
     * experiment and its QUEUED runs, each with the checksum of its data.
     *
     * @throws SpecException at {@code $.dataset} when the data is missing, unreadable or cannot be prepared
     */
    public Batch record(String source, Plan plan) throws IOException {
        ExperimentSpec spec = plan.spec();
        Map<String, String> checksums = new LinkedHashMap<>();
        Map<Integer, InitialWeights> inits = new java.util.HashMap<>();
        for (Trial t : plan.trials()) {
            Preparation p = plan.kind().preparation(t.params());
            TrainingData prepared;
            try {
                // A repeated preparation is a cache hit; asking again keeps no second reference to the data here.
                prepared = data.prepare(spec.dataset(), plan.kind(), p);
            } catch (IOException | IllegalArgumentException | UnsupportedOperationException e) {
                throw new SpecException(source, "$.dataset", "dataset \"" + spec.dataset() + "\" as " + plan.kind() + ": " + e.getMessage());
            }
            checksums.putIfAbsent(p.key(), prepared.checksum());
            inits.put(t.index(), checkFits(source, plan, t, prepared));
        }
        EarlyStopping early = spec.earlyStopping();
        Experiment experiment = store.experiments().getOrCreate(spec.name(), spec.document());
        List<Long> ids = new ArrayList<>();
        SweepOptions options = plan.options();
        for (int i = 0; i < plan.trials().size(); i++) {
            Trial t = plan.trials().get(i);
            LoadedFamily f = plan.family();
            SweepOptions.Halving h = options.halving();
            RunConfig.SweepRole role = !options.abortExploding() && h == null ? null : new RunConfig.SweepRole(options.abortExploding(),
                    h == null ? null : plan.rung(), h == null ? null : h.rungs(), h == null ? null : h.metric(),
                    i < plan.promotedFrom().size() ? plan.promotedFrom().get(i) : null);
            RunConfig config = new RunConfig(f.id(), spec.dataset(), plan.kind(), t.params(), early,
                    new RunConfig.Plugin(String.valueOf(f.jar().getFileName()), f.version(), f.sha256()), role, inits.get(t.index()));
            Provenance prov = new Provenance(plan.family().id(), plan.family().version(), nnlabVersion, gitCommit,
                    (long) t.seed(), spec.dataset(), checksums.get(plan.kind().preparation(t.params()).key()));
            Map<String, Object> params = new LinkedHashMap<>(t.params());
            if (t.varied().get(SpecParts.KEY) instanceof String part) params.put(SpecParts.KEY, part);   // recorded, not given to the family
            ids.add(store.runs().create(new NewRun(experiment.id(), t.label(), plan.family().id(), prov, config.toJson(), params)).id());
        }
        return new Batch(experiment, plan, ids);
    }

    /**
     * The family's own check that a trial's parameters fit the data (a conv stack and the image size), and the
     * weights it starts from its network, before anything is stored; returns those weights (null: none).
     */
    private InitialWeights checkFits(String source, Plan plan, Trial t, TrainingData prepared) {
        String trial = plan.trials().size() > 1 ? " (trial " + t.label() + ")" : "";
        InitialWeights init = InitialWeights.resolve(store, source, t.params(), trial);
        try {
            plan.family().family().checkFits(t.params(), prepared, init == null ? null : init.file(store));
            return init;
        } catch (IOException e) {
            throw new SpecException(source, InitialWeights.PATH, "the weights of run " + (init == null ? "?" : init.run()) + " cannot be read" + trial
                    + ": " + e.getMessage());
        } catch (InvalidParamException e) {
            throw new SpecException(source, e.path(), e.getMessage().substring(e.path().length() + 2) + trial);
        } catch (IllegalArgumentException e) {
            throw new SpecException(source, "$.params", "trial " + t.label() + " on dataset \"" + plan.spec().dataset() + "\": " + e.getMessage());
        }
    }

    /**
     * Trains every run of the batch, {@code parallel} at a time; returns each run's final status.
     * Kernel threads are shared out so that parallel trials do not oversubscribe the cores.
     */
    public Map<Long, RunStatus> execute(Batch batch, int parallel, TrialListener listener, AtomicBoolean stop) {
        try (InProcessTrialExecutor executor = new InProcessTrialExecutor(store, plugins, data, parallel)) {
            return execute(batch, executor, listener, stop);
        }
    }

    /** As {@link #execute(Batch, int, TrialListener, AtomicBoolean)}, on {@code executor}, {@link TrialExecutor#capacity()} at a time. */
    public Map<Long, RunStatus> execute(Batch batch, TrialExecutor executor, TrialListener listener, AtomicBoolean stop) {
        Map<Long, RunStatus> out = new LinkedHashMap<>(executeRuns(batch, executor, listener, stop));
        // Successive halving: each ended rung promotes its best share into the next, until the last rung.
        for (Batch rung = batch; !stop.get(); ) {
            Promotion p = promote(rung);
            if (p == null) break;
            listener.onNote(p.summary());
            if (p.next() == null) break;
            rung = p.next();
            out.putAll(executeRuns(rung, executor, listener, stop));
        }
        return out;
    }

    /** A rung's choice: {@code next} is the next rung, recorded, or null when nothing was promoted. */
    public record Promotion(Batch next, String summary) {}

    /**
     * After every run of {@code rung} has ended: records the next rung's runs (each promoted trial again,
     * from its seed, for the next rung's epochs) and says what it kept. Null when the batch has no
     * halving or {@code rung} was its last.
     */
    public Promotion promote(Batch rung) {
        SweepOptions.Halving h = rung.plan().options().halving();
        int r = rung.plan().rung();
        if (h == null || r + 1 >= h.rungs()) return null;
        RungPromotion choice = RungPromotion.choose(store, h, r, rung.plan().trials(), rung.runIds());
        if (choice.promoted().isEmpty()) return new Promotion(null, choice.summary());
        List<Trial> trials = HalvingPlanner.nextRung(choice.promoted(), r + 1, h.epochs().get(r + 1),
                rung.plan().trials().getLast().index() + 1);
        Plan next = new Plan(rung.plan().spec(), rung.plan().family(), rung.plan().kind(), trials, r + 1, choice.from());
        try {
            return new Promotion(record(rung.plan().spec().name(), next), choice.summary());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot load dataset " + next.spec().dataset() + " for rung " + (r + 1), e);
        }
    }

    private Map<Long, RunStatus> executeRuns(Batch batch, TrialExecutor executor, TrialListener listener, AtomicBoolean stop) {
        int parallel = executor.capacity();
        Map<Long, RunStatus> out = new LinkedHashMap<>();
        // The batch trains on the build it was planned with, even if the JAR is replaced meanwhile.
        LoadedFamily family = batch.plan().family();
        if (parallel <= 1) {
            for (long id : batch.runIds()) out.put(id, stop.get() ? skip(id, listener) : executor.run(id, family, stop, listener));
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "nnlab-trial");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<RunStatus>> futures = new ArrayList<>();
            for (long id : batch.runIds()) {
                futures.add(pool.submit(() -> stop.get() ? skip(id, listener) : executor.run(id, family, stop, listener)));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    out.put(batch.runIds().get(i), futures.get(i).get());
                } catch (Exception e) {
                    out.put(batch.runIds().get(i), RunStatus.FAILED);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    private RunStatus skip(long id, TrialListener listener) {
        store.runs().finish(id, RunStatus.STOPPED, "batch stopped before this run started");
        listener.onFinish(id, RunStatus.STOPPED, null);
        return RunStatus.STOPPED;
    }
}
