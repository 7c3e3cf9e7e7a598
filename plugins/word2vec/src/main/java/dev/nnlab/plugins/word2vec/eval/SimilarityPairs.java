package dev.nnlab.plugins.word2vec.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Word pairs rated by people, as in WordSim-353 and SimLex-999 (the TSV files gensim ships):
 * {@code word1<TAB>word2<TAB>score}, with {@code #} comment lines; further columns are ignored.
 * The score of a set of vectors is Spearman's correlation between the ratings and the cosine
 * similarities, over the pairs whose words are both in the vocabulary.
 */
public final class SimilarityPairs {
    public record Pair(String first, String second, double rating) {}

    /** @param spearman NaN when fewer than 2 pairs were in the vocabulary */
    public record Score(double spearman, int asked, int total) {
        public double coverage() { return total == 0 ? 0 : asked / (double) total; }
    }

    private static final String FORMAT = "a rated word pair: word1<TAB>word2<TAB>number (lines starting with # are comments)";

    private final List<Pair> pairs;

    private SimilarityPairs(List<Pair> pairs) { this.pairs = List.copyOf(pairs); }

    public static SimilarityPairs read(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(r, file.toString());
        }
    }

    /** @throws EvaluationFormatException at the first line that is not a comment, blank or rated pair, or when there is no pair */
    public static SimilarityPairs read(BufferedReader in, String source) throws IOException {
        List<Pair> out = new ArrayList<>();
        int n = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            n++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) continue;
            String[] f = t.split("\t");
            if (f.length < 3) throw new EvaluationFormatException(source, n, t, FORMAT);
            double rating;
            try {
                rating = Double.parseDouble(f[2].strip());
            } catch (NumberFormatException e) {
                throw new EvaluationFormatException(source, n, t, FORMAT);
            }
            if (!Double.isFinite(rating)) throw new EvaluationFormatException(source, n, t, FORMAT);
            out.add(new Pair(f[0].strip().toLowerCase(Locale.ROOT), f[1].strip().toLowerCase(Locale.ROOT), rating));
        }
        if (out.isEmpty()) throw new EvaluationFormatException(source, n, "(end of file)", "reached before any pair: " + FORMAT);
        return new SimilarityPairs(out);
    }

    public List<Pair> pairs() { return pairs; }

    public Score score(WordVectors v) {
        List<double[]> kept = new ArrayList<>();
        for (Pair p : pairs) {
            int a = v.indexOf(p.first()), b = v.indexOf(p.second());
            if (a >= 0 && b >= 0) kept.add(new double[] {p.rating(), v.cosine(a, b)});
        }
        double[] human = new double[kept.size()], model = new double[kept.size()];
        for (int i = 0; i < human.length; i++) {
            human[i] = kept.get(i)[0];
            model[i] = kept.get(i)[1];
        }
        double rho = human.length < 2 ? Double.NaN : Spearman.correlation(human, model);
        return new Score(rho, human.length, pairs.size());
    }
}
