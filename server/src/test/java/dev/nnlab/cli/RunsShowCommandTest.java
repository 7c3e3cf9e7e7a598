package dev.nnlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RunsShowCommandTest {

    @TempDir
    Path dir;

    SampleStore sample;

    @BeforeEach
    void fill() {
        sample = SampleStore.fill(dir.resolve("runs.db"));
    }

    @Test
    void text_shows_provenance_params_config_and_final_metrics() {
        CliRun r = CliRun.of(sample.host("runs", "show", String.valueOf(sample.adam())));

        assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).contains("lr=0.001").containsPattern("status\\s+FINISHED")
                .containsPattern("plugin\\s+mlp 0\\.1\\.0").containsPattern("nnlab\\s+0\\.2\\.0-test")
                .containsPattern("git commit\\s+abc123def").containsPattern("seed\\s+11")
                .containsPattern("dataset\\s+spirals \\(checksum sha256:feedbeef\\)")
                .containsPattern("optimizer\\s+adam")
                .contains("\"seed\" : 20240601");
        // val_acc: last 0.93 at step 30, min 0.8, max 0.95, three points
        assertThat(r.out()).containsPattern("val_acc\\s+0\\.93\\s+30\\s+0\\.8\\s+0\\.95\\s+3");
    }

    @Test
    void text_shows_the_last_value_of_each_layer_statistic_as_a_layer_by_stat_table() {
        CliRun r = CliRun.of(sample.host("runs", "show", String.valueOf(sample.adam())));

        assertThat(r.out()).containsPattern("layer\\s+step\\s+dead_fraction\\s+grad_norm\\s+weight_norm");
        // weight_norm of dense0 was 1.5 at step 10 and 2.25 at step 30: the table holds the later one.
        assertThat(r.out()).containsPattern("dense0\\s+30\\s+-\\s+0\\.125\\s+2\\.25\n");
        assertThat(r.out()).containsPattern("relu1\\s+30\\s+0\\.625\\s+-\\s+-\n");
        assertThat(r.out()).doesNotContain("1.5");
    }

    @Test
    void text_shows_each_event_with_its_hint() {
        CliRun r = CliRun.of(sample.host("runs", "show", "#" + sample.adam()));

        assertThat(r.out()).containsPattern("WARNING\\s+step 20\\s+dead_relu: 62% of relu1 is dead")
                .contains("hint: " + SampleStore.HINT);
    }

    @Test
    void text_lists_the_artifacts_with_media_type_size_and_hash() {
        CliRun r = CliRun.of(sample.host("runs", "show", String.valueOf(sample.adam())));

        // sha256("hello") = 2cf24dba5fb0a30e...
        assertThat(r.out()).containsPattern("artifacts\n\\s+name\\s+media type\\s+bytes\\s+sha256\n")
                .containsPattern("confusion_matrix\\.json\\s+application/vnd\\.nnlab\\.confusion\\+json\\s+"
                        + SampleStore.CONFUSION.length() + "\\s+[0-9a-f]{12}\n")
                .containsPattern("notes\\.txt\\s+text/plain\\s+5\\s+2cf24dba5fb0\n");
        CliRun none = CliRun.of(sample.host("runs", "show", String.valueOf(sample.sgd())));
        assertThat(none.out()).containsPattern("artifacts\n\\s+\\(none\\)");
    }

    @Test
    void json_lists_the_artifacts_with_the_url_the_api_serves_them_at() throws Exception {
        CliRun r = CliRun.of(sample.host("runs", "show", String.valueOf(sample.adam()), "--format", "json"));

        JsonNode artifacts = new ObjectMapper().readTree(r.out()).get("artifacts");
        assertThat(artifacts).hasSize(2);
        assertThat(artifacts.at("/1/name").asText()).isEqualTo("notes.txt");
        assertThat(artifacts.at("/1/size").asLong()).isEqualTo(5);
        assertThat(artifacts.at("/1/sha256").asText())
                .isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assertThat(artifacts.at("/1/url").asText()).isEqualTo("/api/runs/" + sample.adam() + "/artifacts/notes.txt");
        assertThat(artifacts.at("/0/mediaType").asText()).isEqualTo("application/vnd.nnlab.confusion+json");
    }

    @Test
    void a_failed_run_shows_its_error() {
        CliRun r = CliRun.of(sample.host("runs", "show", String.valueOf(sample.sgd())));

        assertThat(r.out()).containsPattern("status\\s+DIVERGED").containsPattern("error\\s+loss became NaN at step 20");
    }

    @Test
    void json_holds_provenance_layer_stats_and_events() throws Exception {
        CliRun r = CliRun.of(sample.host("runs", "show", String.valueOf(sample.adam()), "--format", "json"));

        JsonNode run = new ObjectMapper().readTree(r.out());
        assertThat(run.at("/provenance/gitCommit").asText()).isEqualTo("abc123def");
        assertThat(run.at("/provenance/seed").asLong()).isEqualTo(11);
        assertThat(run.at("/provenance/datasetChecksum").asText()).isEqualTo("sha256:feedbeef");
        assertThat(run.at("/config/split/seed").asInt()).isEqualTo(20240601);
        assertThat(run.at("/metrics/test_acc/last").asDouble()).isEqualTo(0.91);
        assertThat(run.get("layerStats")).hasSize(3);
        for (JsonNode s : run.get("layerStats")) {
            if (s.get("stat").asText().equals("weight_norm")) assertThat(s.get("value").asDouble()).isEqualTo(2.25);
        }
        assertThat(run.at("/events/0/code").asText()).isEqualTo("dead_relu");
        assertThat(run.at("/events/0/hint").asText()).isEqualTo(SampleStore.HINT);
    }

    @Test
    void an_unknown_id_exits_2_naming_it() {
        CliRun unknown = CliRun.of(sample.host("runs", "show", "999"));
        CliRun garbage = CliRun.of(sample.host("runs", "show", "abc"));

        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("no run with id 999");
        assertThat(garbage.exitCode()).isEqualTo(2);
        assertThat(garbage.err()).contains("'abc' is not a run id");
    }
}
