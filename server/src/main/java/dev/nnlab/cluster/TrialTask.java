package dev.nnlab.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * One trial sent to a worker: the run id (the key of everything the trial records) and what the worker
 * needs to know before it accepts it (family, resolved parameters as JSON, seed, dataset). Nothing of the
 * launching host travels: the worker rebuilds the trial from the run's recorded configuration in the
 * shared store and checks it is this one.
 */
final class TrialTask implements Callable<TrialOutcome>, Serializable, HazelcastInstanceAware {
    private static final long serialVersionUID = 1L;

    final long runId;
    final String family;
    final String paramsJson;
    final Long seed;
    final String dataset;
    private transient HazelcastInstance member;

    TrialTask(long runId, String family, String paramsJson, Long seed, String dataset) {
        this.runId = runId;
        this.family = family;
        this.paramsJson = paramsJson;
        this.seed = seed;
        this.dataset = dataset;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance member) {
        this.member = member;
    }

    @Override
    public TrialOutcome call() {
        Object worker = member.getUserContext().get(ClusterConfigs.CONTEXT_WORKER);
        if (!(worker instanceof WorkerNode node)) {
            return TrialOutcome.refused("member " + member.getCluster().getLocalMember().getAddress() + " is not an nnlab worker", "?");
        }
        return node.train(this);
    }

    @Override
    public String toString() {
        return "trial of run " + runId + " (" + family + " on " + dataset + ", seed " + seed + ")";
    }
}
