package dev.nnlab.store;

import dev.nnlab.store.filter.FilterSyntaxException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Four runs:
 * <pre>
 * name            seed  experiment  status    lr       batch  opt   nesterov  val_acc points
 * alpha           1     default     FINISHED  0.001    64     adam  false     0.80, 0.95, 0.93
 * beta            2     default     RUNNING   0.01     128    sgd   true      0.70, 0.85
 * gamma           3     default     QUEUED    0.1      256    sgd   -         -
 * x' OR 1=1 --    4     other       QUEUED    'fast'   -      -     -         -
 * </pre>
 */
class RunListTest extends StoreOnEachBackend {

    private static final String TRICKY = "x' OR 1=1 --";

    @BeforeEach
    void fixture() {
        long alpha = StoreFixture.run(store, "default", "alpha", 1,
                Map.of("lr", 0.001, "batch", 64, "opt", "adam", "nesterov", false)).id();
        long beta = StoreFixture.run(store, "default", "beta", 2,
                Map.of("lr", 0.01, "batch", 128, "opt", "sgd", "nesterov", true)).id();
        StoreFixture.run(store, "default", "gamma", 3, Map.of("lr", 0.1, "batch", 256, "opt", "sgd"));
        StoreFixture.run(store, "other", TRICKY, 4, Map.of("lr", "fast"));
        store.runs().markRunning(alpha);
        store.runs().markRunning(beta);
        store.metrics().append(List.of(
                new MetricPoint(alpha, "val_acc", 1, 0, 0, 0.80),
                new MetricPoint(alpha, "val_acc", 2, 0, 0, 0.95),
                new MetricPoint(alpha, "val_acc", 3, 0, 0, 0.93),
                new MetricPoint(beta, "val_acc", 1, 0, 0, 0.70),
                new MetricPoint(beta, "val_acc", 2, 0, 0, 0.85)));
        store.runs().finish(alpha, RunStatus.FINISHED, null);
    }

    private List<String> names(String filter) {
        return store.runs().list(RunQuery.filter(filter).sortedBy("seed")).stream().map(Run::name).toList();
    }

    @Test
    void the_example_of_the_command_line_finds_the_accurate_run_with_a_small_learning_rate() {
        assertThat(names("params.lr < 0.01 and metrics.val_acc > 0.9")).containsExactly("alpha");
    }

    @Test
    void precedence_on_real_rows_groups_not_then_and_then_or() {
        // Right: seed = 1 or (seed = 2 and name = 'gamma') -> alpha. Wrong grouping would give nothing.
        assertThat(names("seed = 1 or seed = 2 and name = 'gamma'")).containsExactly("alpha");
        // Right: (not seed = 1) and seed < 3 -> beta. Wrong grouping would give beta, gamma, x.
        assertThat(names("not seed = 1 and seed < 3")).containsExactly("beta");
        assertThat(names("(seed = 1 or seed = 2) and name = 'beta'")).containsExactly("beta");
    }

    @Test
    void every_operator_selects_the_right_rows() {
        assertThat(names("seed = 2")).containsExactly("beta");
        assertThat(names("seed != 2")).containsExactly("alpha", "gamma", TRICKY);
        assertThat(names("seed < 2")).containsExactly("alpha");
        assertThat(names("seed <= 2")).containsExactly("alpha", "beta");
        assertThat(names("seed > 3")).containsExactly(TRICKY);
        assertThat(names("seed >= 3")).containsExactly("gamma", TRICKY);
        assertThat(names("seed in (1, 3)")).containsExactly("alpha", "gamma");
        assertThat(names("seed not in (1, 3)")).containsExactly("beta", TRICKY);
        assertThat(names("params.opt in ('sgd', 'rmsprop')")).containsExactly("beta", "gamma");
        assertThat(names("params.opt not in ('sgd')")).containsExactly("alpha");
        assertThat(names("params.lr in (0.1, 'fast')")).containsExactly("gamma", TRICKY);
        assertThat(names("params.lr not in (0.1, 'fast')")).containsExactly("alpha", "beta");
    }

    @Test
    void parameters_compare_as_numbers_with_numbers_and_as_text_with_strings() {
        // 64 < 100 < 128 as numbers; as text '64' > '100' because '6' > '1'.
        assertThat(names("params.batch > 100")).containsExactly("beta", "gamma");
        assertThat(names("params.batch > '100'")).containsExactly("alpha", "beta", "gamma");
        assertThat(names("params.batch = '128'")).containsExactly("beta");
        assertThat(names("params.lr < 0.05")).containsExactly("alpha", "beta");
        assertThat(names("params.lr = 'fast'")).containsExactly(TRICKY);
        assertThat(names("params.nesterov = true")).containsExactly("beta");
        assertThat(names("params.nesterov != true")).containsExactly("alpha");
        assertThat(names("params.missing = 1")).isEmpty();
    }

    @Test
    void metrics_compare_their_last_min_or_max_value() {
        assertThat(names("metrics.val_acc > 0.9")).containsExactly("alpha");
        assertThat(names("metrics.val_acc.last < 0.9")).containsExactly("beta");
        assertThat(names("metrics.val_acc.max >= 0.85")).containsExactly("alpha", "beta");
        assertThat(names("metrics.val_acc.min < 0.75")).containsExactly("beta");
        assertThat(names("not metrics.val_acc.max > 0")).containsExactly("gamma", TRICKY);
    }

    @Test
    void attributes_filter_on_the_run_row() {
        assertThat(names("status = 'running'")).containsExactly("beta");
        assertThat(names("status in ('queued', 'FINISHED')")).containsExactly("alpha", "gamma", TRICKY);
        assertThat(names("experiment = 'other'")).containsExactly(TRICKY);
        assertThat(names("experiment != 'other'")).containsExactly("alpha", "beta", "gamma");
        assertThat(names("family = 'mlp' and dataset = 'mnist' and plugin = 'mlp'")).hasSize(4);
        long betaId = store.runs().list(RunQuery.filter("name = 'beta'")).getFirst().id();
        assertThat(names("id = " + betaId)).containsExactly("beta");
        assertThat(names("experiment = " + store.experiments().findByName("other").orElseThrow().id()))
                .containsExactly(TRICKY);
    }

    @Test
    void runs_sort_by_a_metric_or_parameter_with_missing_values_last_and_page() {
        assertThat(store.runs().list(RunQuery.all().sortedBy("metrics.val_acc.max desc"))).extracting(Run::name)
                .containsExactly("alpha", "beta", TRICKY, "gamma");
        assertThat(store.runs().list(RunQuery.all().sortedBy("metrics.val_acc.min"))).extracting(Run::name)
                .containsExactly("beta", "alpha", TRICKY, "gamma");
        assertThat(store.runs().list(RunQuery.all().sortedBy("params.batch desc"))).extracting(Run::name)
                .containsExactly("gamma", "beta", "alpha", TRICKY);
        assertThat(store.runs().list(RunQuery.all().sortedBy("seed asc").page(2, 1))).extracting(Run::name)
                .containsExactly("beta", "gamma");
        assertThat(store.runs().list(RunQuery.all())).extracting(Run::name)
                .containsExactly(TRICKY, "gamma", "beta", "alpha");
        assertThat(store.runs().count("params.opt = 'sgd'")).isEqualTo(2);
        assertThat(store.runs().count(null)).isEqualTo(4);
    }

    @Test
    void injection_attempts_are_rejected_or_harmless_and_the_tables_stay_intact() {
        List<Run> before = store.runs().list(RunQuery.all());
        long paramsBefore = paramCount();

        assertThatThrownBy(() -> names("params.lr < 0; DROP TABLE runs")).isInstanceOf(FilterSyntaxException.class);
        assertThatThrownBy(() -> names("params.lr' = 1")).isInstanceOf(FilterSyntaxException.class);
        assertThatThrownBy(() -> names("name = '' OR 1=1 --'")).isInstanceOf(FilterSyntaxException.class);
        assertThatThrownBy(() -> names("\"params\".lr = 1")).isInstanceOf(FilterSyntaxException.class);
        assertThatThrownBy(() -> store.runs().list(RunQuery.all().sortedBy("seed; DELETE FROM params")))
                .isInstanceOf(FilterSyntaxException.class);
        // Valid filters whose strings look like SQL match those strings literally.
        assertThat(names("name = 'x'' OR 1=1 --'")).containsExactly(TRICKY);
        assertThat(names("params.`lr' OR '1'='1` = 1")).isEmpty();
        assertThat(names("params.`lr) OR 1=1 OR (1` = 1")).isEmpty();
        assertThat(names("metrics.`val_acc'; DROP TABLE runs; --`.max > 0")).isEmpty();
        assertThat(store.runs().list(RunQuery.all().sortedBy("params.`x'; DROP TABLE params; --` desc"))).hasSize(4);

        assertThat(store.runs().list(RunQuery.all())).isEqualTo(before);
        assertThat(paramCount()).isEqualTo(paramsBefore);
        assertThat(names("params.lr < 0.01 and metrics.val_acc > 0.9")).containsExactly("alpha");
    }

    private long paramCount() {
        List<Long> ids = new ArrayList<>();
        store.runs().list(RunQuery.all()).forEach(r -> ids.add(r.id()));
        return ids.stream().mapToLong(id -> store.runs().params(id).size()).sum();
    }
}
