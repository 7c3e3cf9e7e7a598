package dev.nnlab.store;

/** The few columns of a run that tell a watcher what changed: which run, where, what it is called, its status. */
public record RunState(long id, long experimentId, String name, RunStatus status) {
}
