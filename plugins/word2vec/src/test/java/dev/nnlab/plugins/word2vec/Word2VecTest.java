package dev.nnlab.plugins.word2vec;

import dev.nnlab.data.TextCorpus;
import dev.nnlab.data.WordGroups;
import dev.nnlab.plugins.word2vec.eval.Neighbour;
import dev.nnlab.plugins.word2vec.eval.WordVectors;
import dev.nnlab.spi.InvalidParamException;
import dev.nnlab.spi.RecordingSink;
import dev.nnlab.spi.TrainResult;
import dev.nnlab.spi.TrainingJob;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Word2VecTest {
    static final Word2Vec FAMILY = new Word2Vec();
    static final WordGroups GROUPS = WordGroups.standard(7);
    static final TextCorpus CORPUS = GROUPS.corpus("word-groups");

    static RecordingSink train(TextCorpus corpus, int threads, Object... kv) throws IOException {
        RecordingSink sink = new RecordingSink();
        TrainResult r = FAMILY.train(job(corpus, threads, kv), sink);
        assertThat(r.outcome()).as(String.valueOf(r.message())).isEqualTo(TrainResult.Outcome.FINISHED);
        return sink;
    }

    static TrainingJob job(TextCorpus corpus, int threads, Object... kv) {
        Map<String, Object> given = new HashMap<>();
        given.put("dim", 20);
        given.put("minCount", 1);
        for (int i = 0; i < kv.length; i += 2) given.put((String) kv[i], kv[i + 1]);
        return new TrainingJob(FAMILY.params().resolve(given, "$.params"), corpus, null, threads);
    }

    /** Reads the vectors artifact back, as a user of the text format would. */
    static WordVectors vectors(RecordingSink sink) throws IOException {
        byte[] bytes = sink.artifact(Word2Vec.VECTORS).bytes();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8))) {
            String[] head = r.readLine().split(" ");
            int n = Integer.parseInt(head[0]), dim = Integer.parseInt(head[1]);
            String[] words = new String[n];
            float[] rows = new float[n * dim];
            for (int w = 0; w < n; w++) {
                String[] f = r.readLine().split(" ");
                assertThat(f).hasSize(dim + 1);
                words[w] = f[0];
                for (int i = 0; i < dim; i++) rows[w * dim + i] = Float.parseFloat(f[i + 1]);
            }
            assertThat(r.readLine()).isNull();
            return new WordVectors(words, rows, dim, dim);
        }
    }

    /** Share of each planted word's 5 nearest neighbours that belong to its own group. */
    static double groupRecovery(WordVectors v) {
        int hits = 0, total = 0;
        for (List<String> group : GROUPS.groups()) {
            for (String w : group) {
                for (Neighbour n : v.nearest(w, group.size() - 1)) {
                    if (group.contains(n.word())) hits++;
                    total++;
                }
            }
        }
        return hits / (double) total;
    }

    @Test
    void skip_gram_with_negative_sampling_recovers_the_planted_groups_on_two_threads() throws IOException {
        RecordingSink sink = train(CORPUS, 2, "model", "skipgram", "epochs", 3, "logEvery", 1);
        assertThat(groupRecovery(vectors(sink))).isGreaterThan(0.9);
        List<Double> loss = sink.values("train_loss");
        assertThat(loss).hasSizeGreaterThan(2);
        assertThat(loss.getLast()).isLessThan(loss.getFirst());
        assertThat(sink.values("words_per_sec")).allMatch(x -> x > 0);
        List<Double> lr = sink.values("lr");
        assertThat(lr.getLast()).isLessThan(lr.getFirst()).isGreaterThan(0);
        assertThat(sink.values("epoch_loss")).hasSize(3);
    }

    @Test
    void cbow_recovers_the_planted_groups() throws IOException {
        RecordingSink sink = train(CORPUS, 2, "model", "cbow", "lr", 0.05, "epochs", 3);
        assertThat(groupRecovery(vectors(sink))).isGreaterThan(0.9);
    }

    @Test
    void hierarchical_softmax_alone_recovers_the_planted_groups() throws IOException {
        RecordingSink sink = train(CORPUS, 1, "model", "skipgram", "output", "hs", "epochs", 3);
        assertThat(groupRecovery(vectors(sink))).isGreaterThan(0.9);
    }

    @Test
    void untrained_vectors_do_not_recover_the_groups() throws IOException {
        // The control: with a vanishing learning rate the vectors stay random, so the test above can fail.
        RecordingSink sink = train(CORPUS, 1, "lr", 1e-7, "epochs", 1);
        assertThat(groupRecovery(vectors(sink))).isLessThan(0.5);
    }

    @Test
    void the_projection_lists_the_words_with_two_coordinates_each() throws IOException {
        RecordingSink sink = train(CORPUS, 1, "epochs", 1);
        RecordingSink.Artifact a = sink.artifact(Word2Vec.PROJECTION);
        assertThat(a.mediaType()).isEqualTo("application/vnd.nnlab.projection+json");
        String json = new String(a.bytes(), StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"words\":[\"").contains("\"x\":[", "\"y\":[");
        int words = CORPUS.wordCounts().size();
        assertThat(json.split("\"x\":\\[")[1].split("]")[0].split(",")).hasSize(words);
    }

    @Test
    void an_empty_vocabulary_after_min_count_is_refused_with_the_highest_count() throws IOException {
        TextCorpus small = TextCorpus.counted("small", "x", dev.nnlab.data.SentenceSource.of(List.<String[]>of(
                new String[] {"a", "b", "a", "c", "a", "d"})));
        assertThatThrownBy(() -> FAMILY.train(job(small, 1, "minCount", 4), new RecordingSink()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minCount=4").hasMessageContaining("empty vocabulary")
                .hasMessageContaining("'a', occurs 3 times");
        // At the highest count one word is left, and it trains.
        assertThat(FAMILY.train(job(small, 1, "minCount", 3, "window", 1, "sample", 0.0), new RecordingSink()).outcome())
                .isEqualTo(TrainResult.Outcome.FINISHED);
    }

    @Test
    void a_corpus_no_longer_than_the_window_is_refused() throws IOException {
        TextCorpus tiny = TextCorpus.counted("tiny", "x", dev.nnlab.data.SentenceSource.of(List.<String[]>of(new String[] {"a", "b", "c"})));
        assertThatThrownBy(() -> FAMILY.train(job(tiny, 1, "window", 3), new RecordingSink()))
                .hasMessageContaining("tiny holds 3 words").hasMessageContaining("window=3");
        // One word more than the window trains.
        assertThat(FAMILY.train(job(tiny, 1, "window", 2, "sample", 0.0), new RecordingSink()).outcome())
                .isEqualTo(TrainResult.Outcome.FINISHED);
    }

    @Test
    void a_window_of_zero_is_refused_by_the_schema() {
        assertThatThrownBy(() -> job(CORPUS, 1, "window", 0)).isInstanceOf(InvalidParamException.class)
                .hasMessageContaining("window");
    }

    @Test
    void zero_negative_samples_are_refused_by_the_schema() {
        assertThatThrownBy(() -> job(CORPUS, 1, "negative", 0)).isInstanceOf(InvalidParamException.class)
                .hasMessageContaining("negative");
        assertThat(job(CORPUS, 1, "negative", 1).intParam("negative")).isEqualTo(1);
    }

    @Test
    void a_stop_request_ends_the_run_as_stopped() throws IOException {
        RecordingSink sink = new RecordingSink();
        sink.requestStop();
        assertThat(FAMILY.train(job(CORPUS, 2, "epochs", 2), sink).outcome()).isEqualTo(TrainResult.Outcome.STOPPED);
        assertThat(sink.artifacts()).isEmpty();
    }
}
