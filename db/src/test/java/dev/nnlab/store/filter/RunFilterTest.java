package dev.nnlab.store.filter;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RunFilterTest {

    @Test
    void not_binds_tighter_than_and_which_binds_tighter_than_or() {
        assertThat(RunFilter.parse("not seed = 1 or seed = 2 and name = 'b'").toString())
                .isEqualTo("((not seed = 1) or (seed = 2 and name = 'b'))");
        assertThat(RunFilter.parse("seed = 1 and seed = 2 or seed = 3 and not seed = 4").toString())
                .isEqualTo("((seed = 1 and seed = 2) or (seed = 3 and (not seed = 4)))");
        assertThat(RunFilter.parse("not (seed = 1 or seed = 2) and seed = 3").toString())
                .isEqualTo("((not (seed = 1 or seed = 2)) and seed = 3)");
        assertThat(RunFilter.parse("seed = 1 or seed = 2 or seed = 3").toString())
                .isEqualTo("((seed = 1 or seed = 2) or seed = 3)");
    }

    @Test
    void fields_name_parameters_metric_aggregates_and_attributes() {
        assertThat(RunFilter.parse("params.optimizer.lr < 0.01").toString()).isEqualTo("params.optimizer.lr < 0.01");
        assertThat(RunFilter.parse("metrics.val_acc > 0.9").toString()).isEqualTo("metrics.val_acc.last > 0.9");
        assertThat(RunFilter.parse("metrics.val_acc.max >= 0.9").toString()).isEqualTo("metrics.val_acc.max >= 0.9");
        assertThat(RunFilter.parse("metrics.train/loss.min <= 1e-3").toString()).isEqualTo("metrics.train/loss.min <= 0.001");
        assertThat(RunFilter.parse("params.`odd key.x` = 'it''s'").toString()).isEqualTo("params.odd key.x = 'it''s'");
        assertThat(RunFilter.parse("STATUS = 'finished'").toString()).isEqualTo("status = 'FINISHED'");
        assertThat(RunFilter.parse("plugin not in ('mlp', \"cnn\")").toString()).isEqualTo("plugin not in ('mlp', 'cnn')");
        assertThat(RunFilter.parse("params.nesterov = TRUE").toString()).isEqualTo("params.nesterov = true");
    }

    @Test
    void every_comparison_operator_compiles_to_its_sql_with_the_value_bound() {
        for (String[] op : new String[][]{{"=", "="}, {"!=", "<>"}, {"<", "<"}, {"<=", "<="}, {">", ">"}, {">=", ">="}}) {
            SqlFragment sql = RunFilter.toSql("seed " + op[0] + " 3");
            assertThat(sql.sql()).isEqualTo("r.seed " + op[1] + " ?");
            assertThat(sql.args()).containsExactly(3L);
        }
    }

    @Test
    void a_parameter_compared_to_a_number_uses_the_numeric_column_and_to_a_string_the_text() {
        SqlFragment number = RunFilter.toSql("params.batch > 100");
        assertThat(number.sql()).contains("p.num_value > ?").doesNotContain("p.value");
        assertThat(number.args()).containsExactly("batch", 100L);

        SqlFragment text = RunFilter.toSql("params.batch > '100'");
        assertThat(text.sql()).contains("p.value > ?").doesNotContain("num_value");
        assertThat(text.args()).containsExactly("batch", "100");
    }

    @Test
    void user_text_never_appears_in_the_sql() {
        SqlFragment sql = RunFilter.toSql("name = 'x'' OR 1=1 --' or params.`lr'; DROP TABLE runs; --` = 1 "
                + "or experiment in ('a', 2) or metrics.`x\"y`.max in (1, 2)");
        assertThat(sql.sql()).doesNotContain("DROP", "OR 1=1", "x\"y", "lr'");
        assertThat(sql.args()).contains("x' OR 1=1 --", "lr'; DROP TABLE runs; --", "x\"y");
        assertThat(sql.sql().chars().filter(c -> c == '?').count()).isEqualTo(sql.args().size());
    }

    @Test
    void an_unknown_field_names_itself_its_position_and_the_valid_fields() {
        FilterSyntaxException e = catchThrowableOfType(FilterSyntaxException.class,
                () -> RunFilter.parse("params.lr < 0.1 and learning_rate > 2"));
        assertThat(e.position()).isEqualTo(20);
        assertThat(e.found()).isEqualTo("learning_rate");
        assertThat(e.getMessage()).startsWith("unknown field at position 20: found 'learning_rate', expected params.<key>")
                .contains("metrics.<key>[.last|.min|.max]", "status", "seed", "plugin");
    }

    @Test
    void syntax_errors_say_where_what_and_what_was_expected() {
        record Case(String filter, int position, String found, String expected) {
        }
        List<Case> cases = List.of(
                new Case("params.lr < 0; DROP TABLE runs", 13, ";", FilterLexer.TOKEN_START),
                new Case("params.lr <", 11, null, "a number, a quoted string, true or false"),
                new Case("params.lr 0.1", 10, "0.1", "a comparison (=, !=, <, <=, >, >=) or in"),
                new Case("(seed = 1", 9, null, "and, or, or ')'"),
                new Case("seed = 1)", 8, ")", "and, or, or the end of the filter (unbalanced ')')"),
                new Case("seed = 1 seed = 2", 9, "seed", "and, or, or the end of the filter"),
                new Case("name = 'abc", 7, "'abc", "a closing '"),
                new Case("seed in (1, 2", 13, null, "',' or ')' closing the list of values"),
                new Case("seed not = 1", 9, "=", "in"),
                new Case("metrics.loss < 'low'", 15, "'low'", "a number"),
                new Case("seed = 'seven'", 7, "'seven'", "a number"),
                new Case("name = true", 7, "true", "a number or a string"),
                new Case("params.nesterov < true", 18, "true", "= or !="),
                new Case("status = 'runing'", 9, "'runing'",
                        "one of QUEUED, RUNNING, FINISHED, FAILED, DIVERGED, INTERRUPTED, STOPPED"),
                new Case("params. = 1", 0, "params. ", "a name after '.'"),
                new Case("\"name\" = 'x'", 0, "\"name\"", "a field, 'not' or '('"),
                new Case("seed = 1e", 7, "1e", "digits after the exponent"),
                new Case("", 0, null, "a field, 'not' or '('"));
        for (Case c : cases) {
            FilterSyntaxException e = catchThrowableOfType(FilterSyntaxException.class, () -> RunFilter.parse(c.filter()));
            assertThat(e).as(c.filter()).isNotNull();
            assertThat(e.position()).as(c.filter()).isEqualTo(c.position());
            assertThat(e.found()).as(c.filter()).isEqualTo(c.found());
            assertThat(e.expected()).as(c.filter()).isEqualTo(c.expected());
        }
    }

    @Test
    void deep_nesting_is_refused_before_it_can_overflow_the_stack() {
        String deep = "(".repeat(1_000) + "seed = 1" + ")".repeat(1_000);
        assertThatThrownBy(() -> RunFilter.parse(deep)).isInstanceOf(FilterSyntaxException.class)
                .hasMessageContaining("nested too deeply");
    }

    @Test
    void a_sort_names_a_field_and_a_direction() {
        RunSort byMax = RunSort.parse("metrics.val_acc.max desc");
        assertThat(byMax.join().sql()).isEqualTo("LEFT JOIN metric_summaries o ON o.run_id = r.id AND o.key = ?");
        assertThat(byMax.join().args()).containsExactly("val_acc");
        assertThat(byMax.orderBy()).isEqualTo("o.max_value DESC NULLS LAST, r.id DESC");
        assertThat(RunSort.parse("params.lr").orderBy()).startsWith("o.num_value ASC NULLS LAST, o.value ASC");
        assertThat(RunSort.parse("created").orderBy()).isEqualTo("r.created ASC NULLS LAST, r.id DESC");
        assertThat(RunSort.parse(null)).isEqualTo(RunSort.DEFAULT);
        assertThatThrownBy(() -> RunSort.parse("seed; DROP TABLE runs")).isInstanceOf(FilterSyntaxException.class);
        assertThatThrownBy(() -> RunSort.parse("seed sideways")).isInstanceOf(FilterSyntaxException.class)
                .hasMessageContaining("asc, desc");
        assertThatThrownBy(() -> RunSort.parse("lr")).hasMessageContaining("unknown field");
    }

    @Test
    void a_filter_is_bounded_in_length_comparisons_and_list_values_and_the_limits_themselves_pass() {
        String hundred = String.join(" or ", java.util.Collections.nCopies(FilterParser.MAX_COMPARISONS, "seed = 1"));
        assertThat(RunFilter.toSql(hundred).args()).hasSize(FilterParser.MAX_COMPARISONS);
        assertThatThrownBy(() -> RunFilter.parse(hundred + " or seed = 2")).isInstanceOf(FilterSyntaxException.class)
                .hasMessageContaining("too many comparisons").hasMessageContaining("at most 100");

        String values = String.join(", ", java.util.Collections.nCopies(FilterParser.MAX_IN_VALUES, "1"));
        assertThat(RunFilter.parse("seed in (" + values + ")")).isNotNull();
        assertThatThrownBy(() -> RunFilter.parse("seed in (" + values + ", 2)")).hasMessageContaining("too many values");

        String long_ = "name = '" + "x".repeat(FilterParser.MAX_LENGTH) + "'";
        assertThatThrownBy(() -> RunFilter.parse(long_)).isInstanceOf(FilterSyntaxException.class)
                .hasMessageContaining("filter too long").satisfies(e -> assertThat(e.getMessage().length()).isLessThan(300));
    }

    @Test
    void a_number_beyond_a_double_is_refused_and_a_large_one_is_not() {
        assertThat(RunFilter.toSql("params.lr < 1e300").args()).containsExactly("lr", 1e300);
        assertThatThrownBy(() -> RunFilter.parse("params.lr < 1e999")).isInstanceOf(FilterSyntaxException.class)
                .hasMessageContaining("number out of range at position 12");
    }
}
