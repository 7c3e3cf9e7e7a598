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
 * Analogy questions in the format of word2vec's {@code questions-words.txt}: section headers
 * {@code ": capital-common-countries"} and questions {@code "Athens Greece Baghdad Iraq"} (a is to
 * b as c is to d). Words are lower-cased, as the corpora nnlab trains on are.
 *
 * <p>Scoring follows Mikolov et al. (3CosAdd, as gensim's {@code evaluate_word_analogies}): the
 * answer is the word nearest to b - a + c among all but a, b and c. Questions with a word outside the
 * vocabulary are not asked; {@link Score#coverage()} says how many were.
 */
public final class AnalogyQuestions {
    public record Question(String section, String a, String b, String c, String d) {}

    /** @param correct right answers; @param asked questions whose four words are in the vocabulary; @param total all questions */
    public record Score(int correct, int asked, int total) {
        public double accuracy() { return asked == 0 ? 0 : correct / (double) asked; }
        public double coverage() { return total == 0 ? 0 : asked / (double) total; }
    }

    private static final String FORMAT = "an analogy question (four words: a b c d) or a section header (': name'), "
            + "as in word2vec's questions-words.txt";

    private final List<Question> questions;

    private AnalogyQuestions(List<Question> questions) { this.questions = List.copyOf(questions); }

    public static AnalogyQuestions read(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(r, file.toString());
        }
    }

    /**
     * @throws EvaluationFormatException at the first line that is neither a header, a question, a
     *                                   blank line nor a {@code #} comment, or when there is no question
     */
    public static AnalogyQuestions read(BufferedReader in, String source) throws IOException {
        List<Question> qs = new ArrayList<>();
        String section = "";
        int n = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            n++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) continue;
            if (t.startsWith(":")) {
                section = t.substring(1).strip();
                continue;
            }
            String[] w = t.toLowerCase(Locale.ROOT).split("\\s+");
            if (w.length != 4) throw new EvaluationFormatException(source, n, t, FORMAT);
            qs.add(new Question(section, w[0], w[1], w[2], w[3]));
        }
        if (qs.isEmpty()) throw new EvaluationFormatException(source, n, "(end of file)", "reached before any question: " + FORMAT);
        return new AnalogyQuestions(qs);
    }

    public List<Question> questions() { return questions; }

    public Score score(WordVectors v) {
        int correct = 0, asked = 0;
        for (Question q : questions) {
            int a = v.indexOf(q.a()), b = v.indexOf(q.b()), c = v.indexOf(q.c()), d = v.indexOf(q.d());
            if (a < 0 || b < 0 || c < 0 || d < 0) continue;
            asked++;
            float[] ua = v.unit(a), ub = v.unit(b), uc = v.unit(c);
            float[] target = new float[ua.length];
            for (int i = 0; i < target.length; i++) target[i] = ub[i] - ua[i] + uc[i];
            if (v.nearestExcept(target, a, b, c) == d) correct++;
        }
        return new Score(correct, asked, questions.size());
    }
}
