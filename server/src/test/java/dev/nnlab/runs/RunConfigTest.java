package dev.nnlab.runs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnlab.spi.DataKind;
import dev.nnlab.spi.EarlyStopping;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RunConfigTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void a_configuration_stored_before_data_kinds_still_reads_with_its_early_stopping() throws Exception {
        // Exactly what nnlab stored before this change: no kind, early stopping of the old nested type.
        RunConfig c = RunConfig.fromJson(JSON.readTree("""
                {"family":"mlp","dataset":"mnist-10k","params":{"lr":0.1,"epochs":3,"hidden":[100],"valFraction":0.1,"preprocess":"scale"},
                 "earlyStopping":{"metric":"val_loss","patience":3,"minDelta":0.0},
                 "split":{"seed":20240601,"stratified":true,"testFractionWhenNoTestPart":0.1}}"""));
        assertThat(c.kind()).isNull();
        assertThat(c.earlyStopping()).isEqualTo(new EarlyStopping("val_loss", 3, 0.0));
        assertThat(c.params()).containsEntry("hidden", java.util.List.of(100)).containsEntry("lr", 0.1);
    }

    @Test
    void a_configuration_round_trips_with_its_kind_and_preparation() {
        RunConfig c = new RunConfig("bigram", "markov-text", DataKind.TOKEN_STREAM, Map.of("vocabSize", 12, "epochs", 2),
                new EarlyStopping("val_ppl", 2, 0.5));
        var json = c.toJson();
        assertThat(json.get("kind").asText()).isEqualTo("TOKEN_STREAM");
        assertThat(json.get("preparation").asText()).isEqualTo("vocabSize=12");
        assertThat(json.has("split")).isFalse(); // a labelled split says nothing of token streams
        assertThat(RunConfig.fromJson(json)).isEqualTo(c);
    }
}
