package dev.nnlab.runs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Nearest neighbours of a word in a run's word vectors: the {@value #VECTORS} artifact a word2vec
 * run stores, in word2vec's text format. The vectors of the runs asked about last are kept parsed
 * and normalised ({@link LoadedVectors}), so a learner's next query answers in milliseconds instead
 * of re-reading and parsing the file; the cache is bounded by {@value #DEFAULT_CACHE_FLOATS} floats
 * (64 MB) over all runs. Vectors larger than the whole budget are streamed twice per query (find the
 * query's vector, then rank every word by cosine), in the memory of one line.
 */
public final class RunNeighbours {
    public static final String VECTORS = "vectors.txt";
    public static final int MAX_K = 100;
    static final long DEFAULT_CACHE_FLOATS = 16L << 20;

    private final RunArtifacts artifacts;
    private final VectorCache cache;

    public RunNeighbours(RunArtifacts artifacts) {
        this(artifacts, DEFAULT_CACHE_FLOATS);
    }

    RunNeighbours(RunArtifacts artifacts, long cacheFloats) {
        this.artifacts = artifacts;
        this.cache = new VectorCache(cacheFloats);
    }

    /** Runs whose vectors are held parsed now, most recently asked last (for tests). */
    java.util.List<Long> cachedRuns() { return cache.runs(); }

    /** How many times a vectors file was read and parsed whole into the cache (for tests). */
    int loads() { return cache.loads(); }

    public record Neighbour(String word, double similarity) {}

    public record Answer(String word, List<Neighbour> neighbours) {}

    /**
     * @throws InvalidInputException for a blank word or k outside 1..{@value #MAX_K}
     * @throws UnknownArtifactException when the run stored no vectors
     * @throws UnknownWordException when the word is not in the vocabulary
     */
    public Answer nearest(long runId, String word, int k) {
        if (word == null || word.isBlank()) throw new InvalidInputException("query parameter word is missing; expected a word of the run's vocabulary, e.g. ?word=king");
        if (k < 1 || k > MAX_K) throw new InvalidInputException("k=" + k + " is not allowed; expected 1 to " + MAX_K);
        String query = word.strip();
        RunArtifacts.Download d = artifacts.download(runId, VECTORS);
        LoadedVectors loaded = cache.get(runId, d, () -> load(d, runId, cache.budget()));
        if (loaded != null) return new Answer(query, loaded.nearest(runId, query, k));
        float[] q = find(d, runId, query);
        return new Answer(query, rank(d, q, query, k));
    }

    /** The whole file parsed, or null when its header says it exceeds the cache's budget. */
    static LoadedVectors load(RunArtifacts.Download d, long runId, long budget) {
        try (BufferedReader r = open(d)) {
            int[] header = header(r, d);
            if ((long) header[0] * header[1] > budget) return null;
            List<String> words = new ArrayList<>(header[0]);
            float[] rows = new float[header[0] * header[1]];
            int n = 0;
            for (String line = r.readLine(); line != null && n < header[0]; line = r.readLine()) {
                int space = line.indexOf(' ');
                if (space < 0) continue;
                words.add(line.substring(0, space));
                System.arraycopy(unit(parse(line, space, header[1], d)), 0, rows, n * header[1], header[1]);
                n++;
            }
            return new LoadedVectors(words.toArray(String[]::new), rows, header[1], header[0]);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + d.name() + " of run " + runId, e);
        }
    }

    private static float[] find(RunArtifacts.Download d, long runId, String word) {
        try (BufferedReader r = open(d)) {
            int[] header = header(r, d);
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                int space = line.indexOf(' ');
                if (space == word.length() && line.startsWith(word)) return unit(parse(line, space, header[1], d));
            }
            throw new UnknownWordException(runId, word, header[0]);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + d.name() + " of run " + runId, e);
        }
    }

    private static List<Neighbour> rank(RunArtifacts.Download d, float[] q, String word, int k) {
        String[] best = new String[k];
        double[] score = new double[k];
        int found = 0;
        try (BufferedReader r = open(d)) {
            int dim = header(r, d)[1];
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                int space = line.indexOf(' ');
                if (space < 0) continue;
                String w = line.substring(0, space);
                if (w.equals(word)) continue;
                float[] v = unit(parse(line, space, dim, d));
                double c = 0;
                for (int i = 0; i < dim; i++) c += q[i] * v[i];
                if (found == k && c <= score[k - 1]) continue;
                int at = found < k ? found++ : k - 1;
                while (at > 0 && score[at - 1] < c) {
                    score[at] = score[at - 1];
                    best[at] = best[at - 1];
                    at--;
                }
                score[at] = c;
                best[at] = w;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + d.name(), e);
        }
        List<Neighbour> out = new ArrayList<>(found);
        for (int i = 0; i < found; i++) out.add(new Neighbour(best[i], score[i]));
        return out;
    }

    private static BufferedReader open(RunArtifacts.Download d) {
        return new BufferedReader(new InputStreamReader(d.open(), StandardCharsets.UTF_8), 1 << 16);
    }

    /** {words, dim} from the first line. */
    private static int[] header(BufferedReader r, RunArtifacts.Download d) throws IOException {
        String h = r.readLine();
        String[] f = h == null ? new String[0] : h.strip().split(" ");
        try {
            if (f.length == 2) return new int[] {Integer.parseInt(f[0]), Integer.parseInt(f[1])};
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalStateException(d.name() + " does not start with word2vec's header \"<words> <dim>\"");
    }

    private static float[] parse(String line, int space, int dim, RunArtifacts.Download d) {
        float[] v = new float[dim];
        int at = space + 1;
        for (int i = 0; i < dim; i++) {
            int end = line.indexOf(' ', at);
            if (end < 0) end = line.length();
            if (at >= end) throw new IllegalStateException(d.name() + ": a line has fewer than " + dim + " components");
            v[i] = Float.parseFloat(line.substring(at, end));
            at = end + 1;
        }
        return v;
    }

    private static float[] unit(float[] v) {
        double n = 0;
        for (float x : v) n += x * x;
        if (n > 0) {
            float inv = (float) (1 / Math.sqrt(n));
            for (int i = 0; i < v.length; i++) v[i] *= inv;
        }
        return v;
    }
}
