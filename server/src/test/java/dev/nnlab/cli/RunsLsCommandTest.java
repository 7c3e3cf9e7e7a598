package dev.nnlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RunsLsCommandTest {

    @TempDir
    Path dir;

    SampleStore sample;

    @BeforeEach
    void fill() {
        sample = SampleStore.fill(dir.resolve("runs.db"));
    }

    private List<Long> ids(CliRun r) throws Exception {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
        List<Long> ids = new ArrayList<>();
        for (JsonNode run : new ObjectMapper().readTree(r.out())) ids.add(run.get("id").asLong());
        return ids;
    }

    @Test
    void table_shows_each_run_with_its_varying_params_and_final_metrics() {
        CliRun r = CliRun.of(sample.host("runs", "ls"));

        assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
        String[] lines = r.out().split("\n");
        // lr, optimizer and hidden differ among the four runs; epochs (3 everywhere) comes after them.
        assertThat(lines[0]).containsSubsequence("id", "experiment", "status", "family", "hidden", "lr", "optimizer", "epochs",
                "train_loss", "best val_acc", "best val_loss", "test_acc", "name");
        String adam = line(lines, "lr=0.001");
        // last train_loss 0.4; best val_acc max(0.80, 0.95, 0.93); best val_loss min(0.6, 0.3, 0.35); test_acc 0.91
        assertThat(adam).containsSubsequence("sweep-a", "FINISHED", "mlp", "[128]", "0.001", "adam", "3",
                "0.4000", "95.00%", "0.3000", "91.00%");
        assertThat(line(lines, "tiny lr")).containsSubsequence("other", "QUEUED", "[64]", "0.0001", "sgd", "60.00%");
        assertThat(line(lines, "lr=0.1")).contains("DIVERGED").contains("70.00%");
    }

    private static String line(String[] lines, String name) {
        for (String l : lines) if (l.endsWith(name)) return l;
        throw new AssertionError("no line for " + name + " in:\n" + String.join("\n", lines));
    }

    @Test
    void filter_on_a_parameter_keeps_only_the_matching_runs() throws Exception {
        List<Long> ids = ids(CliRun.of(sample.host("runs", "ls", "--format", "json", "--filter", "params.lr < 0.01")));

        assertThat(ids).containsExactlyInAnyOrder(sample.adam(), sample.quoted(), sample.tiny());
    }

    @Test
    void filter_combines_with_the_experiment_and_metric_summaries() throws Exception {
        List<Long> ids = ids(CliRun.of(sample.host("runs", "ls", "--format", "json", "--experiment", "sweep-a",
                "--filter", "params.lr < 0.01 or metrics.val_acc.max < 0.65")));

        // tiny (lr 0.0001, val_acc 0.6) matches the filter but belongs to the other experiment.
        assertThat(ids).containsExactlyInAnyOrder(sample.adam(), sample.quoted());
    }

    @Test
    void sort_by_best_validation_accuracy_descending_and_limit() throws Exception {
        List<Long> sorted = ids(CliRun.of(sample.host("runs", "ls", "--format", "json", "--sort", "metrics.val_acc.max desc")));
        List<Long> top2 = ids(CliRun.of(sample.host("runs", "ls", "--format", "json", "--sort", "metrics.val_acc.max desc", "--limit", "2")));

        // 0.95, 0.92, 0.70, 0.60
        assertThat(sorted).containsExactly(sample.adam(), sample.quoted(), sample.sgd(), sample.tiny());
        assertThat(top2).containsExactly(sample.adam(), sample.quoted());
    }

    @Test
    void json_holds_every_param_with_its_type_and_every_metric_summary() throws Exception {
        CliRun r = CliRun.of(sample.host("runs", "ls", "--format", "json", "--filter", "id = " + sample.adam()));

        JsonNode run = new ObjectMapper().readTree(r.out()).get(0);
        assertThat(run.get("experiment").asText()).isEqualTo("sweep-a");
        assertThat(run.get("status").asText()).isEqualTo("FINISHED");
        assertThat(run.at("/params/lr").isNumber()).isTrue();
        assertThat(run.at("/params/lr").asDouble()).isEqualTo(0.001);
        assertThat(run.at("/params/optimizer").asText()).isEqualTo("adam");
        assertThat(run.at("/params/hidden").isArray()).isTrue();
        assertThat(run.at("/params/hidden/0").asInt()).isEqualTo(128);
        assertThat(run.at("/metrics/val_acc/max").asDouble()).isEqualTo(0.95);
        assertThat(run.at("/metrics/val_acc/last").asDouble()).isEqualTo(0.93);
        assertThat(run.at("/metrics/val_acc/count").asInt()).isEqualTo(3);
        assertThat(run.at("/metrics/val_loss/min").asDouble()).isEqualTo(0.3);
    }

    @Test
    void json_writes_a_nan_metric_as_null() throws Exception {
        CliRun r = CliRun.of(sample.host("runs", "ls", "--format", "json", "--filter", "id = " + sample.sgd()));

        JsonNode trainLoss = new ObjectMapper().readTree(r.out()).get(0).at("/metrics/train_loss");
        assertThat(trainLoss.get("last").isNull()).isTrue();
        assertThat(trainLoss.get("max").asDouble()).isEqualTo(2.0);
    }

    @Test
    void csv_quotes_a_name_with_a_comma_and_a_quote_and_reads_back_intact() throws Exception {
        CliRun r = CliRun.of(sample.host("runs", "ls", "--format", "csv", "--sort", "id"));

        assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
        // RFC 4180: the field is quoted and its quotes doubled.
        assertThat(r.out()).contains(",\"lr=0.005, \"\"tricky\"\"\",");
        List<List<String>> rows = new ArrayList<>();
        try (MappingIterator<List<String>> it = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY)
                .readerForListOf(String.class).readValues(r.out())) {
            while (it.hasNext()) rows.add(it.next());
        }
        assertThat(rows).hasSize(5);
        List<String> header = rows.getFirst();
        assertThat(header).startsWith("id", "experiment", "status", "family", "name")
                .contains("params.lr", "params.hidden", "metrics.val_acc.max");
        List<String> quoted = rows.get(3);
        assertThat(quoted.get(0)).isEqualTo(String.valueOf(sample.quoted()));
        assertThat(quoted.get(header.indexOf("name"))).isEqualTo(SampleStore.QUOTED_NAME);
        assertThat(quoted.get(header.indexOf("params.lr"))).isEqualTo("0.005");
        assertThat(Double.parseDouble(rows.get(1).get(header.indexOf("metrics.val_acc.max")))).isEqualTo(0.95);
    }

    @Test
    void a_malformed_filter_exits_2_with_the_position_and_what_was_expected() {
        CliRun r = CliRun.of(sample.host("runs", "ls", "--filter", "params.lr <"));

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--filter").contains("at position 11").contains("expected a number");
    }

    @Test
    void sql_in_a_filter_is_refused_and_the_runs_table_is_intact() {
        long before = sample.runCount();

        CliRun r = CliRun.of(sample.host("runs", "ls", "--filter", "params.lr < 0; DROP TABLE runs"));

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("at position 13").contains("';'");
        assertThat(before).isEqualTo(4);
        assertThat(sample.runCount()).isEqualTo(before);
    }

    @Test
    void a_filter_value_is_bound_not_spliced_into_sql() throws Exception {
        List<Long> ids = ids(CliRun.of(sample.host("runs", "ls", "--format", "json",
                "--filter", "name = 'x''); DROP TABLE runs; --'")));

        assertThat(ids).isEmpty();
        assertThat(sample.runCount()).isEqualTo(4);
    }

    @Test
    void a_malformed_sort_and_an_unknown_experiment_exit_2() {
        CliRun sort = CliRun.of(sample.host("runs", "ls", "--sort", "metrics.val_acc sideways"));
        CliRun experiment = CliRun.of(sample.host("runs", "ls", "--experiment", "nope"));

        assertThat(sort.exitCode()).isEqualTo(2);
        assertThat(sort.err()).contains("--sort").contains("position 16").contains("asc, desc");
        assertThat(experiment.exitCode()).isEqualTo(2);
        assertThat(experiment.err()).contains("no experiment named 'nope'").contains("sweep-a");
    }
}
