package dev.nnlab.plugins.word2vec;

import dev.nnlab.plugins.word2vec.eval.AnalogyQuestions;
import dev.nnlab.plugins.word2vec.eval.SimilarityPairs;
import dev.nnlab.plugins.word2vec.eval.Spearman;
import dev.nnlab.plugins.word2vec.eval.WordVectors;
import dev.nnlab.spi.InvalidParamException;
import dev.nnlab.spi.RunSink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The evaluation files a run names (params {@code analogy}, {@code wordsim}, {@code simlex}) and
 * the metrics it records from them once trained. A value is {@value #NONE}, a catalog name
 * ({@code analogy}, {@code wordsim353}, {@code simlex999}: the files of {@code <dataDir>/analogy/})
 * or the path of a file. Every file is read and checked when the run is planned, so a missing file or
 * one in an unknown format is refused before anything is recorded.
 *
 * <p>The data directory of catalog names: system property {@value #DATA_DIR_PROPERTY}, else
 * {@code $NNLAB_DATA}, else {@code ~/.nnlab/data}, as nnlab's CLI finds it.
 */
record RunEvaluation(AnalogyQuestions analogy, SimilarityPairs wordsim, SimilarityPairs simlex) {
    static final String NONE = "none";
    static final String DATA_DIR_PROPERTY = "nnlab.dataDir";
    /** Catalog names and their files under {@code <dataDir>/analogy/}. */
    static final Map<String, String> CATALOG = Map.of("analogy", "questions-words.txt", "wordsim353", "wordsim353.tsv",
            "simlex999", "simlex999.txt");

    static final String HELP = "'none', a catalog name (" + String.join(", ", CATALOG.keySet().stream().sorted().toList())
            + ": the files of <dataDir>/analogy/) or the path of a file";

    /** Reads what {@code params} names; errors name the parameter, its value and what is allowed. */
    static RunEvaluation of(Map<String, Object> params) {
        return new RunEvaluation(
                read(params, "analogy", AnalogyQuestions::read),
                read(params, "wordsim", SimilarityPairs::read),
                read(params, "simlex", SimilarityPairs::read));
    }

    boolean any() { return analogy != null || wordsim != null || simlex != null; }

    /**
     * Scores {@code v} and records the results at {@code step}: {@code analogy_acc} (over the
     * questions whose four words are in the vocabulary), {@code analogy_coverage} (that share of all
     * questions), {@code wordsim_spearman}, {@code simlex_spearman} (over the pairs in the vocabulary)
     * and their coverage, and the same on the rarer half ({@code analogy_rare_acc},
     * {@code wordsim_rare_spearman}, {@code simlex_rare_spearman}).
     */
    void record(WordVectors v, RunSink sink, long step, double epoch) {
        if (analogy != null) {
            AnalogyQuestions.Score s = analogy.score(v);
            sink.metric("analogy_acc", step, epoch, s.accuracy());
            sink.metric("analogy_coverage", step, epoch, s.coverage());
            sink.metric("analogy_questions", step, epoch, s.asked());
            double rare = rareAnalogyAccuracy(analogy, v);
            if (!Double.isNaN(rare)) sink.metric("analogy_rare_acc", step, epoch, rare);
        }
        similarity(wordsim, "wordsim", v, sink, step, epoch);
        similarity(simlex, "simlex", v, sink, step, epoch);
    }

    private static void similarity(SimilarityPairs pairs, String name, WordVectors v, RunSink sink, long step, double epoch) {
        if (pairs == null) return;
        SimilarityPairs.Score s = pairs.score(v);
        if (!Double.isNaN(s.spearman())) sink.metric(name + "_spearman", step, epoch, s.spearman());
        sink.metric(name + "_coverage", step, epoch, s.coverage());
        double rare = rareSpearman(pairs, v);
        if (!Double.isNaN(rare)) sink.metric(name + "_rare_spearman", step, epoch, rare);
    }

    /**
     * Spearman over the rarer half of the pairs in the vocabulary: those whose less frequent word ranks
     * at or below the median such rank (rows are in frequency order, so a row index is a rank). How well
     * a model places words it saw seldom: where skip-gram is said to beat CBOW. NaN below 4 such pairs.
     */
    static double rareSpearman(SimilarityPairs pairs, WordVectors v) {
        List<int[]> asked = new ArrayList<>();
        List<Double> ratings = new ArrayList<>();
        for (SimilarityPairs.Pair p : pairs.pairs()) {
            int a = v.indexOf(p.first()), b = v.indexOf(p.second());
            if (a < 0 || b < 0) continue;
            asked.add(new int[] {a, b});
            ratings.add(p.rating());
        }
        int[] rarer = asked.stream().mapToInt(x -> Math.max(x[0], x[1])).toArray();
        if (rarer.length < 8) return Double.NaN;
        int median = Arrays.stream(rarer).sorted().toArray()[rarer.length / 2];
        List<double[]> kept = new ArrayList<>();
        for (int i = 0; i < rarer.length; i++) {
            if (rarer[i] >= median) kept.add(new double[] {ratings.get(i), v.cosine(asked.get(i)[0], asked.get(i)[1])});
        }
        if (kept.size() < 4) return Double.NaN;
        return Spearman.correlation(kept.stream().mapToDouble(x -> x[0]).toArray(), kept.stream().mapToDouble(x -> x[1]).toArray());
    }

    /** Accuracy over the asked questions whose answer word is in the rarer half (by frequency rank); NaN below 4. */
    static double rareAnalogyAccuracy(AnalogyQuestions questions, WordVectors v) {
        List<int[]> asked = new ArrayList<>();
        for (AnalogyQuestions.Question q : questions.questions()) {
            int a = v.indexOf(q.a()), b = v.indexOf(q.b()), c = v.indexOf(q.c()), d = v.indexOf(q.d());
            if (a >= 0 && b >= 0 && c >= 0 && d >= 0) asked.add(new int[] {a, b, c, d});
        }
        if (asked.size() < 8) return Double.NaN;
        int median = asked.stream().mapToInt(x -> x[3]).sorted().toArray()[asked.size() / 2];
        int correct = 0, n = 0;
        for (int[] x : asked) {
            if (x[3] < median) continue;
            n++;
            float[] ua = v.unit(x[0]), ub = v.unit(x[1]), uc = v.unit(x[2]);
            for (int i = 0; i < ua.length; i++) ub[i] = ub[i] - ua[i] + uc[i];
            if (v.nearestExcept(ub, x[0], x[1], x[2]) == x[3]) correct++;
        }
        return n < 4 ? Double.NaN : correct / (double) n;
    }

    private interface Reader<T> { T read(Path file) throws IOException; }

    private static <T> T read(Map<String, Object> params, String param, Reader<T> reader) {
        Object value = params.get(param);
        String v = value == null ? NONE : value.toString().strip();
        if (v.equals(NONE)) return null;
        Path file = resolve(v);
        if (!Files.isRegularFile(file)) {
            throw new InvalidParamException("$.params." + param, v, HELP + (CATALOG.containsKey(v) ? "; the catalog file " + file
                    + " does not exist (set " + DATA_DIR_PROPERTY + " or NNLAB_DATA to the data directory that holds analogy/)"
                    : "; no file " + file));
        }
        try {
            return reader.read(file);
        } catch (IllegalArgumentException e) {
            throw new InvalidParamException("$.params." + param, v, "a file in the expected format: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (param " + param + ")", e);
        }
    }

    static Path resolve(String value) {
        String file = CATALOG.get(value);
        return file == null ? Path.of(value).toAbsolutePath().normalize() : dataDir().resolve("analogy").resolve(file);
    }

    static Path dataDir() {
        String p = System.getProperty(DATA_DIR_PROPERTY);
        if (p != null && !p.isBlank()) return Path.of(p);
        String env = System.getenv("NNLAB_DATA");
        if (env != null && !env.isBlank()) return Path.of(env);
        return Path.of(System.getProperty("user.home"), ".nnlab", "data");
    }
}
