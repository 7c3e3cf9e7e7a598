package dev.nnlab.runs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One run's word vectors parsed and scaled to unit length, row after row: what {@link RunNeighbours} caches. */
final class LoadedVectors {
    private final String[] words;
    private final float[] rows;
    private final int dim;
    /** The vocabulary size the file's header states (the rows may be fewer if the file was cut). */
    private final int declared;
    private final Map<String, Integer> index;

    LoadedVectors(String[] words, float[] rows, int dim, int declared) {
        this.words = words;
        this.rows = rows;
        this.dim = dim;
        this.declared = declared;
        this.index = new HashMap<>(words.length * 2);
        for (int i = 0; i < words.length; i++) index.putIfAbsent(words[i], i);
    }

    long floats() { return rows.length; }

    /** The {@code k} words of highest cosine with {@code word}, itself excluded, best first. */
    List<RunNeighbours.Neighbour> nearest(long runId, String word, int k) {
        Integer w = index.get(word);
        if (w == null) throw new UnknownWordException(runId, word, declared);
        int[] best = new int[k];
        double[] score = new double[k];
        int found = 0, q = w * dim;
        for (int v = 0; v < words.length; v++) {
            if (v == w) continue;
            double c = 0;
            for (int i = 0, o = v * dim; i < dim; i++) c += rows[q + i] * rows[o + i];
            if (found == k && c <= score[k - 1]) continue;
            int at = found < k ? found++ : k - 1;
            while (at > 0 && score[at - 1] < c) {
                score[at] = score[at - 1];
                best[at] = best[at - 1];
                at--;
            }
            score[at] = c;
            best[at] = v;
        }
        List<RunNeighbours.Neighbour> out = new ArrayList<>(found);
        for (int i = 0; i < found; i++) out.add(new RunNeighbours.Neighbour(words[best[i]], score[i]));
        return out;
    }
}
