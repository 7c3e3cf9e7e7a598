package dev.nnlab.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import dev.nnlab.host.LoadedFamily;
import dev.nnlab.runs.RunConfig;
import dev.nnlab.runs.TrialExecutor;
import dev.nnlab.runs.TrialListener;
import dev.nnlab.spi.CommonParams;
import dev.nnlab.store.Run;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Trains trials on the workers of a Hazelcast cluster. The launching process ({@code ./nnlab run} or
 * {@code serve}) joins as a <em>lite member</em>: it holds no data and trains nothing, but it is a member,
 * so it learns at once when a worker leaves (the trial's future fails with {@link MemberLeftException}),
 * joins with the same configuration and secret as the workers, and needs no second protocol (a Hazelcast
 * client would). Each trial is one {@link TrialTask} sent to the least busy worker with a free slot.
 *
 * <ul>
 *   <li>A worker that refuses the trial (no such plugin, dataset or run) is not asked again for it; when
 *       every worker refused, the run ends FAILED with each worker's reason.</li>
 *   <li>A worker that leaves mid-trial: the run is put back (QUEUED, its points deleted, so the run id keeps
 *       each point once; {@link dev.nnlab.store.Runs#requeue}) and sent to another worker, once; lost a second
 *       time, it ends INTERRUPTED with the reason. No run stays RUNNING.</li>
 *   <li>{@code stop} asks the run to stop through the store, which the worker watches; a trial not yet sent
 *       is never sent.</li>
 * </ul>
 */
public final class ClusterTrialExecutor implements TrialExecutor {
    private static final System.Logger LOG = System.getLogger("nnlab.cluster");
    private static final long POLL_MILLIS = 200;
    /** Progress is read from the store every fifth poll: once a second per running trial. */
    private static final long PROGRESS_EVERY_POLLS = 5;

    private final ClusterSettings settings;
    private final Store store;
    private final HazelcastInstance hz;
    private final IExecutorService trials;
    private final Duration memberWait;
    private final Object lock = new Object();
    private final Map<UUID, Integer> busy = new HashMap<>();
    private final Set<UUID> warnedUnproven = ConcurrentHashMap.newKeySet();
    private final Map<Long, List<String>> placements = new ConcurrentHashMap<>();
    private long turn;
    /** When a worker was last there (or the executor started): trials stop waiting for one memberWait after it. */
    private long lastWorkerNanos = System.nanoTime();

    private ClusterTrialExecutor(ClusterSettings settings, Store store, Duration memberWait) {
        this.settings = settings;
        this.store = store;
        this.memberWait = memberWait;
        this.hz = ClusterConfigs.start(settings, true, null, null);
        this.trials = hz.getExecutorService(ClusterConfigs.EXECUTOR);
        hz.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent e) {
                LOG.log(System.Logger.Level.INFO, "member joined: " + e.getMember().getAddress());
                wake();
            }

            @Override
            public void memberRemoved(MembershipEvent e) {
                LOG.log(System.Logger.Level.INFO, "member left: " + e.getMember().getAddress());
                wake();
            }
        });
    }

    /**
     * Joins the cluster as a lite member. A trial waits up to {@code memberWait} for a worker to train it
     * when none is there.
     */
    public static ClusterTrialExecutor join(ClusterSettings settings, Store store, Duration memberWait) {
        return new ClusterTrialExecutor(settings, store, memberWait);
    }

    /** Waits up to {@code timeout} until {@code n} workers are in the cluster; false if they were not. */
    public boolean awaitWorkers(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (workers().size() < n) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) return false;
                lock.wait(Math.min(left, POLL_MILLIS));
            }
            return true;
        }
    }

    /** The workers a trial may go to: members that train (not lite), with slots, and with a valid proof of the secret. */
    public List<Member> workers() {
        List<Member> out = new ArrayList<>();
        for (Member m : hz.getCluster().getMembers()) {
            if (m.isLiteMember() || slotsOf(m) < 1) continue;
            if (settings.secret() != null && !proven(m)) {
                if (warnedUnproven.add(m.getUuid())) {
                    LOG.log(System.Logger.Level.WARNING, "member " + m.getAddress() + " has no valid proof of the cluster secret; "
                            + "no trial goes to it");
                }
                continue;
            }
            out.add(m);
        }
        return out;
    }

    private boolean proven(Member m) {
        try {
            return settings.secret().verify(m.getAttribute(ClusterConfigs.ATTR_PROOF), m.getAddress().getInetAddress().getHostAddress());
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static int slotsOf(Member m) {
        try {
            return Integer.parseInt(m.getAttribute(ClusterConfigs.ATTR_SLOTS));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Where each run went: one line per attempt, "worker: outcome". */
    public Map<Long, List<String>> placements() {
        return Map.copyOf(placements);
    }

    /** The slots of the workers in the cluster now (at least 1). */
    @Override
    public int capacity() {
        return Math.max(1, workers().stream().mapToInt(ClusterTrialExecutor::slotsOf).sum());
    }

    @Override
    public RunStatus run(long runId, LoadedFamily launchedWith, AtomicBoolean stop, TrialListener listener) {
        Run run = store.runs().get(runId).orElseThrow(() -> new IllegalArgumentException("no run " + runId));
        RunConfig config = RunConfig.fromJson(run.config());
        TrialTask task = new TrialTask(runId, config.family(), run.config().path("params").toString(), run.provenance().seed(),
                config.dataset());
        listener.onStart(runId, run.name(), CommonParams.epochs(config.params()));
        StoredPointsFeed progress = new StoredPointsFeed(store, runId, listener);
        Set<UUID> refused = new HashSet<>();
        Set<UUID> gone = new HashSet<>();
        List<String> reasons = new ArrayList<>();
        boolean retried = false;
        while (true) {
            Run now = store.runs().get(runId).orElseThrow(() -> new IllegalStateException("run " + runId + " was deleted"));
            if (now.status().isTerminal()) return ended(now, listener);
            if (stop.get() && now.status() == RunStatus.QUEUED) {
                finishIfOpen(runId, RunStatus.STOPPED, "stopped before it started");
                return ended(runId, listener);
            }
            Member m = acquire(refused, gone, stop);
            if (m == null) {
                if (stop.get()) continue;
                String why = reasons.isEmpty()
                        ? "no worker of cluster " + settings.name() + " joined within " + memberWait.toSeconds() + " s (members "
                          + String.join(",", settings.members()) + "); start one with ./nnlab worker --cluster " + settings.name()
                        : "no worker of cluster " + settings.name() + " can train it: " + String.join("; ", reasons);
                finishIfOpen(runId, RunStatus.FAILED, why);
                return ended(runId, listener);
            }
            String worker = String.valueOf(m.getAddress());
            TrialOutcome outcome = null;
            Throwable failure = null;
            try {
                outcome = await(trials.submitToMember(task, m), runId, stop, progress);
            } catch (ExecutionException e) {
                failure = e.getCause() == null ? e : e.getCause();
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                release(m);
            }
            if (outcome != null && outcome.kind() == TrialOutcome.Kind.REFUSED) {
                placements.computeIfAbsent(runId, k -> new ArrayList<>()).add(worker + ": refused");
                refused.add(m.getUuid());
                reasons.add(outcome.message());
                continue;
            }
            if (outcome != null && outcome.kind() == TrialOutcome.Kind.ENDED) {
                placements.computeIfAbsent(runId, k -> new ArrayList<>()).add(worker + ": " + outcome.status());
                finishIfOpen(runId, outcome.status(), outcome.message());
                forward(progress);
                return ended(runId, listener);
            }
            if (failure != null && !isMemberLoss(failure, m)) {
                placements.computeIfAbsent(runId, k -> new ArrayList<>()).add(worker + ": failed");
                finishIfOpen(runId, RunStatus.FAILED, "worker " + worker + " could not take the trial: " + failure);
                return ended(runId, listener);
            }
            // The worker left: with the trial (abandoned), or before it answered.
            placements.computeIfAbsent(runId, k -> new ArrayList<>()).add(worker + ": left");
            gone.add(m.getUuid());   // still listed for a moment while it goes
            String reason = outcome != null ? outcome.message() : "worker " + worker + " left the cluster while training it";
            Run after = store.runs().get(runId).orElseThrow(() -> new IllegalStateException("run " + runId + " was deleted"));
            if (after.status() == RunStatus.QUEUED) continue;   // it never started there
            if (!retried && store.runs().requeue(runId)) {
                retried = true;
                progress.restart();
                listener.onNote("run " + runId + ": " + reason + "; training it again on another worker");
                continue;
            }
            store.runs().markLost(runId, reason + (retried ? " (it had already been trained again once, after an earlier loss)" : ""));
            return ended(runId, listener);
        }
    }

    /**
     * The trial's answer; asks the run to stop through the store when {@code stop} is set meanwhile, and
     * passes the points the worker stores on to the listener about once a second.
     */
    private TrialOutcome await(Future<TrialOutcome> f, long runId, AtomicBoolean stop, StoredPointsFeed progress)
            throws ExecutionException {
        boolean asked = false;
        for (long polls = 1; ; polls++) {
            try {
                return f.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (polls % PROGRESS_EVERY_POLLS == 0) forward(progress);
                if (stop.get() && !asked) {
                    asked = true;
                    store.runs().requestStop(runId);
                }
            } catch (InterruptedException e) {
                // The caller's thread is interrupted (a stop that would not wait): ask the worker, keep waiting.
                stop.set(true);
            }
        }
    }

    /** Progress is for the eyes only: a store that cannot be read this time must not end the trial. */
    private static void forward(StoredPointsFeed progress) {
        try {
            progress.forwardNew();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "progress not read this time: " + e);
        }
    }

    private boolean isMemberLoss(Throwable t, Member m) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof MemberLeftException || c instanceof TargetNotMemberException || c instanceof TargetDisconnectedException
                    || c instanceof HazelcastInstanceNotActiveException || c instanceof RejectedExecutionException) {
                return true;
            }
        }
        return !hz.getCluster().getMembers().contains(m);
    }

    /**
     * A worker with a free slot that has not refused this trial, least busy first (ties in turn); null when
     * every worker refused it, none came within {@link #memberWait}, or {@code stop} was set.
     */
    private Member acquire(Set<UUID> refused, Set<UUID> gone, AtomicBoolean stop) {
        synchronized (lock) {
            while (!stop.get()) {
                List<Member> workers = workers();
                if (!workers.isEmpty()) lastWorkerNanos = System.nanoTime();
                List<Member> candidates = workers.stream().filter(m -> !refused.contains(m.getUuid()) && !gone.contains(m.getUuid())).toList();
                if (candidates.isEmpty() && workers.stream().anyMatch(m -> refused.contains(m.getUuid()))
                        && workers.stream().allMatch(m -> refused.contains(m.getUuid()) || gone.contains(m.getUuid()))) {
                    return null;   // every worker there refused it
                }
                Member best = null;
                double bestLoad = Double.MAX_VALUE;
                for (int i = 0; i < candidates.size(); i++) {
                    Member m = candidates.get((int) ((i + turn) % candidates.size()));
                    int used = busy.getOrDefault(m.getUuid(), 0);
                    int slots = slotsOf(m);
                    if (used >= slots) continue;
                    double load = (double) used / slots;
                    if (load < bestLoad) {
                        best = m;
                        bestLoad = load;
                    }
                }
                if (best != null) {
                    turn++;
                    busy.merge(best.getUuid(), 1, Integer::sum);
                    return best;
                }
                // Only the absence of workers times out, counted from when one was last there, so that the trials of a
                // batch without workers fail one after the other at once; busy workers are waited for as long as it takes.
                if (workers.isEmpty() && System.nanoTime() - lastWorkerNanos > memberWait.toNanos()) return null;
                try {
                    lock.wait(POLL_MILLIS);
                } catch (InterruptedException e) {
                    stop.set(true);
                }
            }
            return null;
        }
    }

    private void release(Member m) {
        synchronized (lock) {
            busy.computeIfPresent(m.getUuid(), (k, v) -> v <= 1 ? null : v - 1);
            lock.notifyAll();
        }
    }

    private void wake() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /** Records the end the coordinator saw when the worker could not (it failed around the trial); never overrides an end. */
    private void finishIfOpen(long runId, RunStatus status, String error) {
        try {
            store.runs().finish(runId, status, error);
        } catch (IllegalStateException alreadyEnded) {
            // The worker recorded how it ended: that stands.
        }
    }

    private RunStatus ended(long runId, TrialListener listener) {
        return ended(store.runs().get(runId).orElseThrow(() -> new IllegalStateException("run " + runId + " was deleted")), listener);
    }

    private static RunStatus ended(Run run, TrialListener listener) {
        listener.onFinish(run.id(), run.status(), run.error());
        return run.status();
    }

    @Override
    public void close() {
        hz.shutdown();
    }
}
