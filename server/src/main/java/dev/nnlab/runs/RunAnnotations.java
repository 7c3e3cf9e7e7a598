package dev.nnlab.runs;

import dev.nnlab.store.Store;

import java.util.Map;

/** Tags and notes people attach to runs, with the checks the store leaves to its callers. Knows nothing of HTTP. */
public final class RunAnnotations {
    static final int MAX_KEY = 200;
    static final int MAX_VALUE = 2_000;
    static final int MAX_NOTE = 100_000;

    private final Store store;

    public RunAnnotations(Store store) {
        this.store = store;
    }

    /** Sets a tag; returns the run's tags after the change. */
    public Map<String, String> tag(long runId, String key, String value) {
        requireRun(runId);
        if (key == null || key.isBlank() || key.length() > MAX_KEY) {
            throw new InvalidInputException("a tag needs a key of 1 to " + MAX_KEY + " characters");
        }
        if (key.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException("a tag key must not hold control characters (line breaks, tabs, NUL)");
        }
        if (value == null || value.length() > MAX_VALUE) {
            throw new InvalidInputException("a tag needs a value of at most " + MAX_VALUE + " characters");
        }
        store.annotations().tag(runId, key, value);
        return store.annotations().tags(runId);
    }

    /** Removes a tag; removing a tag the run does not have is not an error. */
    public void untag(long runId, String key) {
        requireRun(runId);
        store.annotations().untag(runId, key);
    }

    public RunCatalog.NoteView addNote(long runId, String text) {
        requireRun(runId);
        if (text == null || text.isBlank() || text.length() > MAX_NOTE) {
            throw new InvalidInputException("a note needs a text of 1 to " + MAX_NOTE + " characters");
        }
        return RunCatalog.NoteView.of(store.annotations().addNote(runId, text));
    }

    private void requireRun(long runId) {
        if (store.runs().get(runId).isEmpty()) throw new UnknownRunException(runId);
    }
}
