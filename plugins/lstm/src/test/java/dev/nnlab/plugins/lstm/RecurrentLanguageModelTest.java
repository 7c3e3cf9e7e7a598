package dev.nnlab.plugins.lstm;

import dev.nnlab.data.MarkovText;
import dev.nnlab.data.TokenStreams;
import dev.nnlab.data.TrainingData;
import dev.nnlab.optim.Checkpoint;
import dev.nnlab.spi.RecordingSink;
import dev.nnlab.spi.TrainResult;
import dev.nnlab.spi.TrainingJob;
import dev.nnlab.training.CheckpointArtifact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecurrentLanguageModelTest {
    static final RecurrentLanguageModel FAMILY = new RecurrentLanguageModel();
    static final TokenStreams MARKOV = MarkovText.standard(1).generate("markov-text", 20_000, 3_000, 3_000, 2);

    static TrainingJob job(TrainingData data, Object... kv) {
        Map<String, Object> given = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) given.put((String) kv[i], kv[i + 1]);
        return new TrainingJob(FAMILY.params().resolve(given, "$.params"), data, null, 1);
    }

    static TrainingJob small(TokenStreams data, String cell, Object... more) {
        Object[] base = {"cell", cell, "layers", 1, "hidden", 32, "embedding", 16, "bptt", 10, "batchSize", 16,
                "optimizer", "adam", "lr", 0.01, "clipNorm", 5.0, "epochs", 1, "logEvery", 20};
        Object[] all = new Object[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return job(data, all);
    }

    @Test
    void a_small_lstm_beats_the_unigram_perplexity_on_markov_text_within_one_epoch() {
        RecordingSink sink = new RecordingSink();
        TrainResult r = FAMILY.train(small(MARKOV, "lstm"), sink);
        assertThat(r.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        double unigram = MARKOV.unigramPerplexity(MARKOV.validation());
        double floor = Math.exp(MarkovText.standard(1).entropyRate());
        assertThat(sink.last("val_ppl")).as("val perplexity vs unigram " + unigram).isLessThan(0.7 * unigram);
        assertThat(sink.last("val_ppl")).as("no model beats the entropy rate").isGreaterThan(0.95 * floor);
        assertThat(sink.last("val_ppl")).isCloseTo(Math.exp(sink.last("val_loss")), org.assertj.core.api.Assertions.within(1e-6));
        assertThat(sink.last("test_ppl")).isLessThan(0.7 * unigram);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "rnn"})
    void every_cell_lowers_its_training_loss_from_ln_v(String cell) {
        RecordingSink sink = new RecordingSink();
        FAMILY.train(small(MARKOV, cell, "layers", 2, "dropout", 0.1), sink);
        var losses = sink.values("train_loss");
        assertThat(losses.getFirst()).as("first logged loss near ln V").isLessThan(Math.log(MARKOV.vocabulary().size()) + 0.5);
        assertThat(losses.getLast()).as(cell).isLessThan(losses.getFirst() - 0.5);
    }

    @Test
    void reports_token_counts_recurrent_layer_statistics_and_the_final_weights() throws Exception {
        RecordingSink sink = new RecordingSink();
        TrainingJob job = small(MARKOV, "lstm", "layers", 2);
        FAMILY.train(job, sink);
        int windows = (MARKOV.train().length - 1) / 16 / 10;
        assertThat(sink.last("tokens")).isEqualTo(windows * 160.0);
        assertThat(sink.layerStats()).extracting(RecordingSink.Stat::stat)
                .contains("forget_gate_saturation", "input_gate_saturation", "bptt_grad_first", "bptt_grad_last", "grad_norm");
        assertThat(sink.layerStats()).filteredOn(s -> s.stat().equals("bptt_grad_last")).extracting(RecordingSink.Stat::layer)
                .contains("lstm1", "lstm2");
        RecordingSink.Artifact ckpt = sink.artifact(CheckpointArtifact.NAME);
        assertThat(ckpt).isNotNull();
        Path file = Files.createTempFile("lstm", ".ckpt");
        try {
            Files.write(file, ckpt.bytes());
            var model = RecurrentLanguageModel.build(job, MARKOV.vocabulary().size());
            Checkpoint.load(file, model.params(), null);
            assertThat(model.params().values).isNotEqualTo(RecurrentLanguageModel.build(job, MARKOV.vocabulary().size()).params().values);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void a_character_model_reports_bits_per_character_and_a_text_sample_each_epoch() {
        TokenStreams.Builder b = TokenStreams.builder("chars", TokenStreams.Level.CHARACTER);
        String line = "to be or not to be, that is the question\n";
        for (int i = 0; i < 120; i++) for (char c : line.toCharArray()) b.add(i < 100 ? TokenStreams.Part.TRAIN : TokenStreams.Part.VALIDATION, String.valueOf(c));
        TokenStreams chars = b.build("x", 0);
        RecordingSink sink = new RecordingSink();
        FAMILY.train(small(chars, "lstm", "epochs", 2, "valEvery", 1_000_000), sink);
        assertThat(sink.values("val_bpc")).as("per epoch only").hasSize(2);
        assertThat(sink.last("val_bpc")).isCloseTo(sink.last("val_loss") / Math.log(2), org.assertj.core.api.Assertions.within(1e-9));
        assertThat(sink.metrics()).extracting(RecordingSink.Metric::key).doesNotContain("val_ppl");
        RecordingSink.Artifact sample = sink.artifact("text_sample_epoch_002.txt");
        assertThat(sample).isNotNull();
        assertThat(sample.mediaType()).startsWith("text/plain");
        String text = new String(sample.bytes(), StandardCharsets.UTF_8);
        assertThat(text).contains("temperature 0.5, prompt \"to be or not to be, that is the question\"")
                .contains("temperature 1.0");
        assertThat(sink.artifact("text_sample_epoch_001.txt")).isNotNull();
    }

    @Test
    void a_training_stream_shorter_than_one_window_is_refused_with_the_numbers() {
        TokenStreams tiny = MarkovText.standard(1).generate("tiny", 100, 50, 50, 2);
        assertThatThrownBy(() -> FAMILY.train(small(tiny, "lstm", "bptt", 20), new RecordingSink()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("100 tokens").hasMessageContaining("bptt = 20").hasMessageContaining("batchSize = 16");
    }

    @Test
    void the_plan_time_check_refuses_a_stream_shorter_than_one_window_and_passes_one_just_long_enough() {
        TokenStreams tiny = MarkovText.standard(1).generate("tiny", 161, 50, 50, 2);
        assertThatThrownBy(() -> FAMILY.checkFits(small(tiny, "lstm", "bptt", 11).params(), tiny))
                .hasMessageContaining("161 tokens").hasMessageContaining("bptt = 11").hasMessageContaining("(177)");
        FAMILY.checkFits(small(tiny, "lstm", "bptt", 10).params(), tiny);
    }

    @Test
    void a_window_length_of_zero_is_outside_the_schema() {
        assertThatThrownBy(() -> job(MARKOV, "bptt", 0)).hasMessageContaining("bptt");
        assertThatThrownBy(() -> job(MARKOV, "cell", "transformer")).hasMessageContaining("cell");
    }

    @Test
    void validation_every_log_every_steps_leaves_training_exactly_as_without_it() {
        RecordingSink often = new RecordingSink(), once = new RecordingSink();
        FAMILY.train(small(MARKOV, "lstm", "logEvery", 20), often);
        FAMILY.train(small(MARKOV, "lstm", "logEvery", 20, "valEvery", 1_000_000), once);
        int steps = (MARKOV.train().length - 1) / 16 / 10;
        assertThat(often.metrics()).filteredOn(m -> m.key().equals("val_ppl")).extracting(RecordingSink.Metric::step)
                .as("every 20 steps, then the epoch's end").startsWith(20L, 40L, 60L).hasSize((steps - 1) / 20 + 1);
        assertThat(once.values("val_ppl")).hasSize(1);
        assertThat(often.values("train_loss")).as("the carried state is put back after each validation")
                .containsExactlyElementsOf(once.values("train_loss"));
        assertThat(often.last("val_ppl")).isEqualTo(once.last("val_ppl"));
    }

    /**
     * Zaremba's objective (lossPer window) takes bptt times the per-token step: plain SGD at lr 0.1 on
     * windows of 10 trains the same model as lr 1 on the per-token mean, and not as lr 0.1 on it.
     */
    @Test
    void the_window_objective_is_the_per_token_one_at_bptt_times_the_learning_rate() {
        RecordingSink window = new RecordingSink(), token = new RecordingSink(), tokenSameLr = new RecordingSink();
        FAMILY.train(small(MARKOV, "lstm", "optimizer", "sgd", "clipNorm", 0.0, "lr", 0.1, "lossPer", "window"), window);
        FAMILY.train(small(MARKOV, "lstm", "optimizer", "sgd", "clipNorm", 0.0, "lr", 1.0, "lossPer", "token"), token);
        FAMILY.train(small(MARKOV, "lstm", "optimizer", "sgd", "clipNorm", 0.0, "lr", 0.1, "lossPer", "token"), tokenSameLr);
        assertThat(window.last("val_ppl")).isCloseTo(token.last("val_ppl"), org.assertj.core.api.Assertions.withinPercentage(0.5));
        assertThat(window.last("val_ppl")).isLessThan(0.9 * tokenSameLr.last("val_ppl"));
        assertThat(job(MARKOV).params().get("lossPer")).as("the default is Zaremba's").isEqualTo("window");
    }
}
