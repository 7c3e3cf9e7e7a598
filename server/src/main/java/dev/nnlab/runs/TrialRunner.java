package dev.nnlab.runs;

import dev.nnlab.host.LoadedFamily;
import dev.nnlab.kernels.Parallelism;
import dev.nnlab.host.PluginRegistry;
import dev.nnlab.data.TrainingData;
import dev.nnlab.spi.CommonParams;
import dev.nnlab.spi.DataKind;
import dev.nnlab.spi.RunSink;
import dev.nnlab.spi.TrainResult;
import dev.nnlab.spi.TrainingJob;
import dev.nnlab.store.MetricWriter;
import dev.nnlab.store.OwnedRuns;
import dev.nnlab.store.Run;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Trains one stored run from its recorded configuration alone ({@link RunConfig}): finds the
 * family among the loaded plugins, gets the data of the recorded kind prepared as the recorded
 * parameters say (shared with other trials through the {@link DataCache}), calls the plugin, and
 * records how it ended.
 * Whatever the plugin does (throws, overflows its stack, runs out of memory, diverges) ends as a
 * status on the run; the calling process carries on.
 */
public final class TrialRunner {
    private final Store store;
    private final MetricWriter writer;
    private final PluginRegistry plugins;
    private final DataCache data;
    private final int threads;
    private final LoadedFamily pinned;

    public TrialRunner(Store store, MetricWriter writer, PluginRegistry plugins, DataCache data, int threads) {
        this(store, writer, plugins, data, threads, null);
    }

    private TrialRunner(Store store, MetricWriter writer, PluginRegistry plugins, DataCache data, int threads, LoadedFamily pinned) {
        this.store = store;
        this.writer = writer;
        this.plugins = plugins;
        this.data = data;
        this.threads = threads;
        this.pinned = pinned;
    }

    /** A runner that trains runs of {@code family}'s id on exactly this build, whatever the registry loads meanwhile. */
    public TrialRunner pinned(LoadedFamily family) {
        return new TrialRunner(store, writer, plugins, data, threads, family);
    }

    /**
     * Trains the run and records how it ended. The last writes (the queued points, then the final
     * status) happen in a {@code finally}, and the store tries them again while the database is
     * busy, so a run does not stay RUNNING in a live process because its last write met a lock.
     */
    public RunStatus run(long runId, AtomicBoolean stop, TrialListener listener) {
        return run(runId, stop, listener, pinned);
    }

    /**
     * Trains the run on {@code launchedWith} (the build it was launched with, kept alive by the
     * caller) when it is of the run's family, else on the family's current build. A plugin that
     * throws after a stop was asked for (the host interrupts a plugin that does not stop on its own)
     * ends STOPPED, not FAILED.
     */
    public RunStatus run(long runId, AtomicBoolean stop, TrialListener listener, LoadedFamily launchedWith) {
        Run run = store.runs().get(runId).orElseThrow(() -> new IllegalArgumentException("no run " + runId));
        RunConfig config = RunConfig.fromJson(run.config());
        listener.onStart(runId, run.name(), CommonParams.epochs(config.params()));
        RunStatus status = RunStatus.FAILED;
        String error = "the host failed before the run ended";
        boolean started = false;
        // Held while it trains and until its last writes: the store writes its heartbeat, watches its stop
        // flag, and drops this process's writes once another process owns the run.
        OwnedRuns.Hold hold = store.ownedRuns().hold(runId);
        try {
            store.runs().markRunning(runId);
            started = true;
            LoadedFamily family = launchedWith != null && launchedWith.id().equals(config.family())
                    ? launchedWith : plugins.family(config.family());
            if (family == null) {
                throw new IllegalStateException("model family '" + config.family() + "' is not loaded (plugins: "
                        + plugins.families().keySet() + ")");
            }
            // The planner resolved the parameters against the family's schema; the recorded configuration is trusted as it is.
            Map<String, Object> params = config.params();
            DataKind kind = config.kind() != null ? config.kind()
                    : DataCache.kindFor(data.catalog().entry(config.dataset()), family.family().dataKinds());
            if (kind == null || !family.family().dataKinds().contains(kind)) {
                throw new IllegalStateException("family " + family.id() + " accepts " + family.family().dataKinds()
                        + "; dataset " + config.dataset() + " gives it " + (kind == null ? "none of them" : kind));
            }
            TrainingData d = data.prepare(config.dataset(), kind, kind.preparation(params));
            TrainingJob job = new TrainingJob(params, d, config.earlyStopping(), threads,
                    config.initFrom() == null ? null : config.initFrom().file(store));
            RunSink sink = new StoreSink(runId, writer, store.artifacts(), listener, stop, hold);
            ExplodingLossAbort abort = config.sweep() != null && config.sweep().abortExploding() ? new ExplodingLossAbort(sink) : null;
            TrainResult result = trainIsolated(family, job, abort != null ? abort : sink);
            status = switch (result.outcome()) {
                case FINISHED -> RunStatus.FINISHED;
                case DIVERGED -> RunStatus.DIVERGED;
                case STOPPED -> RunStatus.STOPPED;
            };
            error = result.message();
            // Stopped by the batch's rule, not by a person: the run says which loss broke it.
            if (abort != null && abort.reason() != null && status == RunStatus.STOPPED && !stop.get()) error = abort.reason();
        } catch (Throwable t) {
            if (stop.get()) {
                // Asked to stop, it did not on its own, and the host interrupted it: a stop, not a failure.
                status = RunStatus.STOPPED;
                error = "stopped; the plugin did not stop on its own and was interrupted: " + describe(t);
            } else {
                // A plugin's failure is the run's failure, never the host's (StackOverflowError and
                // OutOfMemoryError included: the trial's memory is unreachable once it unwinds).
                status = RunStatus.FAILED;
                error = describe(t);
                writer.event(runId, -1, dev.nnlab.store.RunEvent.Level.ERROR, "failed", error,
                        "The run threw an error; the message says where. Other runs are not affected.");
            }
        } finally {
            // An interrupt meant for a plugin that would not stop must not break the host's last writes.
            if (stop.get()) Thread.interrupted();
            try {
                writer.flush();
                if (!started) {
                    store.runs().finish(runId, status, error);
                } else if (!store.runs().finishOwned(runId, status, error)) {
                    // Put back and started again by another process while this one was cut off: its end stands.
                    RunStatus ours = status;
                    status = RunStatus.INTERRUPTED;
                    error = "run " + runId + " is trained by another process now; this attempt ended " + ours
                            + " and recorded nothing more";
                }
            } finally {
                hold.close();
            }
        }
        listener.onFinish(runId, status, error);
        return status;
    }

    private static TrainResult trainIsolated(LoadedFamily family, TrainingJob job, RunSink sink) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(family.family().getClass().getClassLoader());
        Parallelism.limitCurrentThread(job.threads());
        try {
            TrainResult r = family.family().train(job, sink);
            if (r == null) throw new IllegalStateException(family.id() + " returned no result");
            return r;
        } finally {
            Parallelism.clearCurrentThreadLimit();
            t.setContextClassLoader(previous);
        }
    }

    /**
     * The exception's type and message, and where it happened: the first frame in a plugin's own
     * code when there is one (that is the line its author needs), else the first frame.
     */
    static String describe(Throwable t) {
        String msg = t.getMessage();
        String s = t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
        StackTraceElement[] st = t.getStackTrace();
        if (st.length == 0) return s;
        for (StackTraceElement e : st) {
            if (e.getClassLoaderName() != null && e.getClassLoaderName().startsWith("plugin:")) {
                return s + " (at " + e + " in " + e.getClassLoaderName().substring("plugin:".length()) + ")";
            }
        }
        return s + " (at " + st[0] + ")";
    }
}
