package dev.nnlab.store;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queries the HTTP API adds to the store: free text and experiment conditions, batched
 * parameters, run states for a watcher, per-experiment counts, curves in columns, new points and
 * every layer statistic.
 */
class ServerQueriesTest extends StoreOnEachBackend {

    long alpha;
    long beta;
    long odd;

    @BeforeEach
    void fixture() {
        alpha = StoreFixture.run(store, "sweep-A", "alpha lr=0.1", Map.of("lr", 0.1, "hidden", List.of(128))).id();
        beta = StoreFixture.run(store, "sweep-A", "beta", Map.of("lr", 0.01)).id();
        odd = StoreFixture.run(store, "Other_100%", "gamma", Map.of()).id();
    }

    private List<String> names(RunQuery q) {
        return store.runs().list(q.sortedBy("id")).stream().map(Run::name).toList();
    }

    @Test
    void free_text_matches_name_family_status_and_experiment_case_insensitively() {
        store.runs().markRunning(beta);
        assertThat(names(RunQuery.all().matching("ALPHA"))).containsExactly("alpha lr=0.1");
        assertThat(names(RunQuery.all().matching("running"))).containsExactly("beta");
        assertThat(names(RunQuery.all().matching("sweep-a"))).containsExactly("alpha lr=0.1", "beta");
        assertThat(names(RunQuery.all().matching("MLP"))).hasSize(3);
        assertThat(names(RunQuery.all().matching("zeta"))).isEmpty();
    }

    @Test
    void free_text_takes_percent_and_underscore_literally() {
        assertThat(names(RunQuery.all().matching("100%"))).containsExactly("gamma");
        assertThat(names(RunQuery.all().matching("r_1"))).containsExactly("gamma");
        // '%' alone would match everything as a LIKE wildcard; literally, only the odd experiment has one.
        assertThat(names(RunQuery.all().matching("%"))).containsExactly("gamma");
    }

    @Test
    void experiment_and_text_combine_with_the_filter_in_the_list_and_the_count() {
        RunQuery q = RunQuery.filter("params.lr < 0.05").inExperiment("sweep-A");
        assertThat(names(q)).containsExactly("beta");
        assertThat(store.runs().countMatching(q)).isEqualTo(1);
        assertThat(store.runs().countMatching(RunQuery.all().inExperiment("sweep-A"))).isEqualTo(2);
        assertThat(store.runs().countMatching(RunQuery.all().matching("a").page(1, 0))).isEqualTo(3);
    }

    @Test
    void parameters_of_several_runs_come_back_by_run_and_key() {
        Map<Long, List<Param>> params = store.runs().params(List.of(alpha, beta, odd));
        assertThat(params.get(alpha)).extracting(Param::key).containsExactly("hidden", "lr");
        assertThat(params.get(alpha).get(0).type()).isEqualTo(Param.Type.JSON);
        assertThat(params.get(beta)).extracting(Param::number).containsExactly(0.01);
        assertThat(params).doesNotContainKey(odd);
    }

    @Test
    void states_report_new_runs_and_the_current_status_of_watched_ones() {
        store.runs().markRunning(alpha);
        List<RunState> s = store.runs().states(beta, List.of(alpha));
        assertThat(s).extracting(RunState::id).containsExactly(alpha, odd);
        assertThat(s.get(0).status()).isEqualTo(RunStatus.RUNNING);
        assertThat(s.get(1).name()).isEqualTo("gamma");
        store.runs().delete(alpha);
        assertThat(store.runs().states(odd, List.of(alpha))).isEmpty();
    }

    @Test
    void run_counts_are_per_experiment() {
        long a = store.experiments().findByName("sweep-A").orElseThrow().id();
        long o = store.experiments().findByName("Other_100%").orElseThrow().id();
        store.experiments().create("empty", null);
        assertThat(store.experiments().runCounts()).containsExactlyInAnyOrderEntriesOf(Map.of(a, 2L, o, 1L));
    }

    @Test
    void a_curve_in_columns_holds_every_point_by_step_with_nan_kept() {
        store.metrics().append(List.of(
                new MetricPoint(alpha, "loss", 3, 0.3, 1003, Double.NaN),
                new MetricPoint(alpha, "loss", 1, 0.1, 1001, 2.0),
                new MetricPoint(alpha, "loss", 2, 0.2, 1002, 1.5),
                new MetricPoint(alpha, "acc", 1, 0.1, 1001, 0.5)));
        MetricSeries s = store.metrics().columns(alpha, "loss", 0);
        assertThat(s.size()).isEqualTo(3);
        assertThat(s.steps()).startsWith(1L, 2L, 3L);
        assertThat(s.epochs()).startsWith(0.1, 0.2, 0.3);
        assertThat(s.wallTimes()).startsWith(1001L, 1002L, 1003L);
        assertThat(s.values()[0]).isEqualTo(2.0);
        assertThat(s.values()[2]).isNaN();
    }

    @Test
    void reading_a_curve_is_one_range_scan_of_the_point_key() throws java.sql.SQLException {
        String query = "SELECT step, epoch, wall_time, value FROM metric_points WHERE run_id = 1 AND key = 'loss' ORDER BY step";
        try (java.sql.Connection c = location.dialect().connect(); java.sql.Statement st = c.createStatement()) {
            StringBuilder plan = new StringBuilder();
            if (backend == Backend.SQLITE) {
                try (java.sql.ResultSet rs = st.executeQuery("EXPLAIN QUERY PLAN " + query)) {
                    while (rs.next()) plan.append(rs.getString(4)).append('\n');
                }
                // WITHOUT ROWID: the table is the key's B-tree, so its primary key covers the read.
                assertThat(plan.toString()).contains("USING PRIMARY KEY").doesNotContain("TEMP B-TREE");
            } else {
                // A three-row table would be scanned whole; the plan for a large one is the index.
                st.execute("SET enable_seqscan = off");
                try (java.sql.ResultSet rs = st.executeQuery("EXPLAIN " + query)) {
                    while (rs.next()) plan.append(rs.getString(1)).append('\n');
                }
                assertThat(plan.toString()).contains("Index Only Scan using metric_points_keyed_pkey").doesNotContain("Sort");
            }
        }
    }

    @Test
    void a_curve_larger_than_its_expected_size_grows() {
        List<MetricPoint> points = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) points.add(new MetricPoint(beta, "loss", i, 0, 0, i * 0.5));
        store.metrics().append(points);
        MetricSeries s = store.metrics().columns(beta, "loss", 3);
        assertThat(s.size()).isEqualTo(100);
        assertThat(s.values()[99]).isEqualTo(49.5);
    }

    @Test
    void points_after_a_step_are_only_the_newer_ones() {
        store.metrics().append(List.of(
                new MetricPoint(alpha, "loss", 1, 0, 0, 3.0),
                new MetricPoint(alpha, "loss", 2, 0, 0, 2.0),
                new MetricPoint(alpha, "loss", 3, 0, 0, 1.0),
                new MetricPoint(alpha, "loss", 4, 0, 7, Double.NaN),
                new MetricPoint(beta, "loss", 4, 0, 0, 9.0)));
        assertThat(store.metrics().pointsAfter(alpha, "loss", 1)).extracting(MetricPoint::step).containsExactly(2L, 3L, 4L);
        assertThat(store.metrics().pointsAfter(alpha, "loss", 2).get(0).value()).isEqualTo(1.0);
        assertThat(store.metrics().pointsAfter(alpha, "loss", 3).get(0).value()).isNaN();
        assertThat(store.metrics().pointsAfter(alpha, "loss", 4)).isEmpty();
    }

    @Test
    void all_layer_statistics_come_by_stat_layer_and_step() {
        store.metrics().append(List.of(
                new LayerStat(alpha, 20, "dense1", "dead_fraction", 0.2),
                new LayerStat(alpha, 10, "dense1", "dead_fraction", 0.1),
                new LayerStat(alpha, 10, "dense0", "grad_norm", 3.0),
                new LayerStat(alpha, 10, "dense0", "dead_fraction", 0.0)));
        assertThat(store.layerStats().all(alpha)).extracting(l -> l.stat() + "/" + l.layer() + "@" + l.step())
                .containsExactly("dead_fraction/dense0@10", "dead_fraction/dense1@10", "dead_fraction/dense1@20",
                        "grad_norm/dense0@10");
    }
}
