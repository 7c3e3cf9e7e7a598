package dev.nnlab.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import dev.nnlab.catalog.Availability;
import dev.nnlab.host.LoadedFamily;
import dev.nnlab.runs.InProcessTrialExecutor;
import dev.nnlab.runs.TrialListener;
import dev.nnlab.runs.TrialRunner;
import dev.nnlab.runs.Workbench;
import dev.nnlab.store.MetricWriter;
import dev.nnlab.store.Run;
import dev.nnlab.store.RunStatus;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An nnlab worker: a Hazelcast member that trains the trials sent to it, {@code slots} at a time, on its
 * own plugins and data directory, writing each run's points straight to the shared store through one
 * batched {@link MetricWriter} (never through the engine). A trial it cannot train as recorded (family
 * not loaded or another build of it, dataset missing, run not in its store) it refuses with the reason,
 * untouched, and the coordinator tries another member.
 *
 * <p>Leaving (Ctrl-C, or the member shut down or terminated) first asks its trials to stop after their
 * current step and waits for them to record how they ended; the coordinator then runs them again elsewhere.
 * A trial is thus never trained by a member that has left.
 */
public final class WorkerNode implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("nnlab.worker");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long leaving waits for the trials to stop; a plugin checks its stop flag every step. */
    private static final long LEAVE_WAIT_MILLIS = 30_000;

    private final Workbench wb;
    private final MetricWriter writer;
    private final TrialRunner runner;
    private final Map<Long, AtomicBoolean> training = new ConcurrentHashMap<>();
    private final AtomicBoolean leaving = new AtomicBoolean();
    private final HazelcastInstance member;
    private final String name;

    private WorkerNode(ClusterSettings settings, Workbench wb) {
        this.wb = wb;
        this.writer = wb.store().newMetricWriter();
        this.runner = new TrialRunner(wb.store(), writer, wb.plugins(), wb.data(), InProcessTrialExecutor.threadsPerTrial(settings.slots()));
        String label = ProcessHandle.current().pid() + "@" + settings.bind();
        this.member = ClusterConfigs.start(settings, false, this, label);
        this.name = String.valueOf(member.getCluster().getLocalMember().getAddress());
        member.getLifecycleService().addLifecycleListener(e -> {
            if (e.getState() == LifecycleEvent.LifecycleState.SHUTTING_DOWN) leave("the worker is leaving the cluster");
        });
    }

    /** Starts a worker member of the cluster on the workbench's store, plugins and data (the caller keeps and closes the workbench). */
    public static WorkerNode start(ClusterSettings settings, Workbench wb) {
        if (settings.slots() < 1) throw new IllegalArgumentException("--slots: " + settings.slots() + " is not allowed; expected 1 to 64");
        return new WorkerNode(settings, wb);
    }

    /** This worker's address in the cluster, e.g. {@code [127.0.0.1]:5701}. */
    public String name() {
        return name;
    }

    /** The Hazelcast member (tests terminate it to see a worker vanish mid-trial). */
    public HazelcastInstance member() {
        return member;
    }

    /** Runs this worker is training now. */
    public java.util.Set<Long> training() {
        return java.util.Set.copyOf(training.keySet());
    }

    TrialOutcome train(TrialTask t) {
        String refusal;
        try {
            refusal = refusal(t);
        } catch (RuntimeException e) {
            refusal = "worker " + name + " cannot read run " + t.runId + " from its store: " + e;
        }
        if (refusal != null) {
            LOG.log(System.Logger.Level.INFO, "refused run " + t.runId + ": " + refusal);
            return TrialOutcome.refused(refusal, name);
        }
        AtomicBoolean stop = new AtomicBoolean();
        training.put(t.runId, stop);
        try {
            if (leaving.get()) return TrialOutcome.refused("worker " + name + " is leaving the cluster", name);
            LOG.log(System.Logger.Level.INFO, "run " + t.runId + " started");
            RunStatus status = runner.run(t.runId, stop, TrialListener.NONE, null);
            if (leaving.get() && stop.get() && status == RunStatus.STOPPED) {
                return TrialOutcome.abandoned("worker " + name + " left the cluster while training it", name);
            }
            String error = wb.store().runs().get(t.runId).map(Run::error).orElse(null);
            LOG.log(System.Logger.Level.INFO, "run " + t.runId + " " + status + (error == null ? "" : ": " + error));
            return TrialOutcome.ended(status, error, name);
        } catch (RuntimeException e) {
            // The host failed around the trial (the store unreachable): the coordinator decides what the run becomes.
            if (leaving.get()) return TrialOutcome.abandoned("worker " + name + " left the cluster while training it", name);
            return TrialOutcome.ended(RunStatus.FAILED, "worker " + name + " could not record the run: " + e, name);
        } finally {
            training.remove(t.runId);
        }
    }

    /** Why this worker cannot train the trial as recorded, or null when it can. */
    private String refusal(TrialTask t) {
        if (leaving.get()) return "worker " + name + " is leaving the cluster";
        LoadedFamily family = wb.plugins().family(t.family);
        if (family == null) {
            return "model family '" + t.family + "' is not loaded on worker " + name + " (its families: "
                    + wb.plugins().families().keySet() + "); start it with the plugin's JAR in --plugins DIR";
        }
        Availability a;
        try {
            a = wb.data().catalog().entry(t.dataset).availability();
        } catch (IllegalArgumentException e) {
            return "dataset \"" + t.dataset + "\" is unknown on worker " + name + ": " + e.getMessage();
        }
        if (!a.available()) {
            return "dataset \"" + t.dataset + "\" is not available on worker " + name + " at " + a.location() + "; " + a.howToGet();
        }
        Run run = wb.store().runs().get(t.runId).orElse(null);
        if (run == null) {
            return "run " + t.runId + " is not in the store of worker " + name + "; give every worker the coordinator's --db";
        }
        JsonNode config = run.config();
        if (!t.family.equals(config.path("family").asText()) || !t.dataset.equals(config.path("dataset").asText())
                || !Objects.equals(t.seed, run.provenance().seed()) || !paramsOf(t).equals(config.path("params"))) {
            return "run " + t.runId + " in the store of worker " + name + " is another trial than the one sent; "
                    + "give every worker the coordinator's --db";
        }
        String recordedSha = config.path("plugin").path("sha256").asText(null);
        if (recordedSha != null && !recordedSha.equals(family.sha256())) {
            return "worker " + name + " has another build of family '" + t.family + "' (" + family.jar().getFileName() + ", version "
                    + family.version() + ") than the run was planned with (" + config.path("plugin").path("jar").asText() + ", version "
                    + config.path("plugin").path("version").asText() + "); give every worker the same plugin JARs";
        }
        if (run.status() != RunStatus.QUEUED) return "run " + t.runId + " is " + run.status() + ", not QUEUED";
        return null;
    }

    private static JsonNode paramsOf(TrialTask t) {
        try {
            return JSON.readTree(t.paramsJson);
        } catch (java.io.IOException e) {
            return JSON.nullNode();
        }
    }

    /** Asks every trial to stop after its current step and waits for them to record how they ended. */
    private void leave(String why) {
        if (!leaving.compareAndSet(false, true)) return;
        if (!training.isEmpty()) LOG.log(System.Logger.Level.WARNING, why + "; stopping runs " + training.keySet());
        training.values().forEach(s -> s.set(true));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LEAVE_WAIT_MILLIS);
        while (!training.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    /** Leaves the cluster: stops the trials (they end STOPPED and are retried elsewhere), then shuts the member down. */
    @Override
    public void close() {
        leave("the worker is shutting down");
        try {
            member.shutdown();
        } finally {
            writer.close();
        }
    }
}
