package dev.nnlab.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RatioTableTest {

    private static Measurement ok(String workload, String system, String variant, int round, double throughput, Double quality) {
        return new Measurement(workload, system, variant, round, Measurement.Status.OK, null, throughput, "samples/s", quality,
                "test_acc", new CpuWindow.Usage(1, 1, 1), 1024, null, null, null, null);
    }

    @Test
    void the_ratio_uses_medians_and_the_best_peer() {
        List<Measurement> m = List.of(ok("W1", "nnlab", null, 1, 300, 0.92), ok("W1", "pytorch", null, 1, 100, 0.91),
                ok("W1", "nnlab", null, 2, 500, 0.92), ok("W1", "pytorch", null, 2, 200, 0.91),
                ok("W1", "nnlab", null, 3, 400, 0.92), ok("W1", "pytorch", null, 3, 150, 0.91));
        RatioTable.Row r = RatioTable.rows(List.of(Workload.W1), m).getFirst();
        assertThat(r.nnlab().medianThroughput()).isEqualTo(400);
        assertThat(r.bestPeer().medianThroughput()).isEqualTo(150);
        assertThat(r.ratio()).isEqualTo(400 / 150.0);
        assertThat(r.note()).isEmpty();
        String table = RatioTable.render(List.of(r));
        assertThat(table).contains("W1").contains("400.0 samples/s").contains("pytorch").contains("2.67x").contains("0.9200");
    }

    @Test
    void a_failed_round_does_not_count_but_a_side_with_no_good_round_gives_no_ratio() {
        List<Measurement> m = List.of(ok("W2", "nnlab", null, 1, 300, 0.98),
                SideResult.failed(Workload.W2, "pytorch", null, 1, "exited with 1: out of memory"),
                ok("W2", "nnlab", null, 2, 100, 0.98),
                SideResult.failed(Workload.W2, "pytorch", null, 2, "exited with 1: out of memory"));
        RatioTable.Row r = RatioTable.rows(List.of(Workload.W2), m).getFirst();
        assertThat(r.nnlab().medianThroughput()).isEqualTo(200);
        assertThat(r.ratio()).isNull();
        assertThat(r.note()).contains("pytorch failed: exited with 1: out of memory");
        assertThat(RatioTable.render(List.of(r))).contains("W2").contains("failed");
    }

    @Test
    void a_workload_with_nnlab_missing_shows_the_reason_and_never_a_ratio() {
        List<Measurement> m = List.of(
                Measurement.notMeasured("W6", "nnlab", null, 1, Measurement.Status.MISSING, "no nnlab family 'word2vec' is loaded", null),
                ok("W6", "gensim", null, 1, 900_000, 0.3));
        RatioTable.Row r = RatioTable.rows(List.of(Workload.W6), m).getFirst();
        assertThat(r.ratio()).isNull();
        assertThat(r.bestPeer().side()).isEqualTo("gensim");
        assertThat(r.note()).contains("nnlab missing: no nnlab family 'word2vec'");
        assertThat(RatioTable.render(List.of(r))).doesNotContain("x ").contains("missing");
    }
}
