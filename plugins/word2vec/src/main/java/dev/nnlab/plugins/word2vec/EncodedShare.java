package dev.nnlab.plugins.word2vec;

import java.util.Arrays;

/**
 * One thread's share of the corpus as row indices (out-of-vocabulary words dropped, before
 * subsampling, which draws anew each epoch), recorded during the first epoch and replayed by the
 * later ones, so that only the first pays for reading, splitting and looking up the text. Memory:
 * 4 bytes per in-vocabulary word plus 4 per sentence; a share that would pass its budget stops
 * recording and its thread reads the text every epoch, as before.
 */
final class EncodedShare {
    private final long budgetInts;
    private int[] ids = new int[1 << 16];
    private int size;
    private int[] ends = new int[1 << 12];
    private int sentences;
    private boolean complete, abandoned;

    EncodedShare(long budgetBytes) {
        this.budgetInts = budgetBytes / 4;
    }

    boolean replayable() { return complete; }

    boolean recording() { return !complete && !abandoned; }

    void add(int id) {
        if (abandoned) return;
        if (size == ids.length) {
            if (2L * ids.length + ends.length > budgetInts) { abandon(); return; }
            ids = Arrays.copyOf(ids, 2 * ids.length);
        }
        ids[size++] = id;
    }

    void endSentence() {
        if (abandoned) return;
        if (sentences > 0 && ends[sentences - 1] == size) return; // an empty line
        if (sentences == ends.length) ends = Arrays.copyOf(ends, 2 * ends.length);
        ends[sentences++] = size;
    }

    /** The whole share was read and recorded: later epochs replay it. */
    void finish() {
        if (!abandoned) complete = true;
    }

    /** A partial recording (the run stopped mid-epoch) must not be replayed as the whole share. */
    void discard() {
        if (!complete) abandon();
    }

    private void abandon() {
        abandoned = true;
        ids = null;
        ends = null;
    }

    int sentences() { return sentences; }

    int sentenceStart(int s) { return s == 0 ? 0 : ends[s - 1]; }

    int sentenceEnd(int s) { return ends[s]; }

    int id(int i) { return ids[i]; }

    long heapBytes() { return ids == null ? 0 : 4L * ids.length + 4L * ends.length; }
}
