package dev.nnlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RunsExportCommandTest {

    @TempDir
    Path dir;

    SampleStore sample;

    @BeforeEach
    void fill() {
        sample = SampleStore.fill(dir.resolve("runs.db"));
    }

    private int pointsOf(long... runs) {
        int n = 0;
        for (long r : runs) n += sample.points().get(r);
        return n;
    }

    @Test
    void csv_has_one_line_per_point_written() {
        CliRun all = CliRun.of(sample.host("runs", "export", "--format", "csv"));
        CliRun sweep = CliRun.of(sample.host("runs", "export", "--format", "csv", "--experiment", "sweep-a"));

        assertThat(all.exitCode()).as(all.err()).isEqualTo(0);
        List<String> lines = all.out().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("run_id,key,step,epoch,wall_time,value");
        assertThat(lines).hasSize(1 + pointsOf(sample.adam(), sample.sgd(), sample.quoted(), sample.tiny()));
        assertThat(sweep.out().lines().count()).isEqualTo(1 + pointsOf(sample.adam(), sample.sgd(), sample.quoted()));
    }

    @Test
    void csv_keeps_full_resolution_and_writes_nan_as_nan() {
        CliRun r = CliRun.of(sample.host("runs", "export", "--filter", "id = " + sample.sgd()));

        // train_loss of the diverged run: 2.0 at step 10 (epoch 1), NaN at step 20 (epoch 2)
        // The wall time in epoch ms, as everywhere in the API.
        assertThat(r.out()).contains(sample.sgd() + ",train_loss,10,1.0,1000,2.0\n")
                .contains(sample.sgd() + ",train_loss,20,2.0,1001,NaN\n");
    }

    @Test
    void json_holds_each_run_with_its_params_and_points() throws Exception {
        CliRun r = CliRun.of(sample.host("runs", "export", "--format", "json", "--filter", "params.optimizer = 'adam'"));

        assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
        JsonNode runs = new ObjectMapper().readTree(r.out());
        assertThat(runs).hasSize(2);
        JsonNode adam = runs.get(0);
        assertThat(adam.get("id").asLong()).isEqualTo(sample.adam());
        assertThat(adam.at("/params/lr").asDouble()).isEqualTo(0.001);
        assertThat(adam.get("points")).hasSize(pointsOf(sample.adam()));
        assertThat(runs.get(1).get("points")).hasSize(pointsOf(sample.quoted()));
        List<String> trainLoss = new ArrayList<>();
        for (JsonNode p : adam.get("points")) {
            if (p.get("key").asText().equals("train_loss")) {
                trainLoss.add(p.get("step").asLong() + "@" + p.get("epoch").asDouble() + "=" + p.get("value").asDouble());
            }
        }
        assertThat(trainLoss).containsExactly("10@1.0=1.0", "20@2.0=0.5", "30@3.0=0.4");
    }

    @Test
    void output_goes_to_a_file_and_the_count_to_stderr() throws Exception {
        Path file = dir.resolve("out/points.csv");

        CliRun r = CliRun.of(sample.host("runs", "export", "--experiment", "other", "--output", file.toString()));

        assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).isEmpty();
        assertThat(Files.readAllLines(file)).hasSize(1 + pointsOf(sample.tiny()));
        assertThat(r.err()).contains("wrote " + pointsOf(sample.tiny()) + " points of 1 run(s)");
    }

    @Test
    void a_malformed_filter_exits_2() {
        CliRun r = CliRun.of(sample.host("runs", "export", "--filter", "metrics.val_acc > 'high'"));

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("metrics.val_acc.last is a number").contains("position 18");
    }
}
