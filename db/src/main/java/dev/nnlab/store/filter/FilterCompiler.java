package dev.nnlab.store.filter;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a filter tree into a {@code WHERE} condition over {@code runs r}. Parameters and metrics
 * become {@code EXISTS} sub-queries on {@code params} and {@code metric_summaries} (never on raw
 * points). A comparison with a number uses a parameter's numeric column, so {@code params.batch > 100}
 * holds for 128 and not for 64; a comparison with a string uses its text.
 */
final class FilterCompiler {

    private final StringBuilder sql = new StringBuilder();
    private final List<Object> args = new ArrayList<>();

    private FilterCompiler() {
    }

    static SqlFragment compile(FilterNode node) {
        FilterCompiler c = new FilterCompiler();
        c.emit(node);
        return new SqlFragment(c.sql.toString(), c.args);
    }

    private void emit(FilterNode node) {
        switch (node) {
            case FilterNode.And(FilterNode l, FilterNode r) -> binary(l, " AND ", r);
            case FilterNode.Or(FilterNode l, FilterNode r) -> binary(l, " OR ", r);
            case FilterNode.Not(FilterNode inner) -> {
                sql.append("NOT (");
                emit(inner);
                sql.append(')');
            }
            case FilterNode.Compare(Field f, Operator op, Object v) -> compare(f, op, v);
            case FilterNode.In(Field f, List<Object> values, boolean negated) -> in(f, values, negated);
        }
    }

    private void binary(FilterNode l, String op, FilterNode r) {
        sql.append('(');
        emit(l);
        sql.append(op);
        emit(r);
        sql.append(')');
    }

    private void compare(Field f, Operator op, Object v) {
        switch (f.source()) {
            case PARAM -> {
                openParam(f);
                if (v instanceof Number) {
                    sql.append(" AND p.num_value ").append(op.sql()).append(" ?)");
                } else {
                    if (v instanceof Boolean) sql.append(" AND p.type = 'BOOLEAN'");
                    sql.append(" AND p.value ").append(op.sql()).append(" ?)");
                }
                args.add(v instanceof Boolean ? v.toString() : v);
            }
            case METRIC -> {
                openMetric(f);
                sql.append(" AND s.").append(f.aggregate().column).append(' ').append(op.sql()).append(" ?)");
                args.add(v);
            }
            case ATTRIBUTE -> {
                if (f.attribute() == RunAttribute.EXPERIMENT && v instanceof String) {
                    sql.append("r.experiment_id IN (SELECT e.id FROM experiments e WHERE e.name ")
                            .append(op.sql()).append(" ?)");
                } else {
                    sql.append("r.").append(f.attribute().column).append(' ').append(op.sql()).append(" ?");
                }
                args.add(v);
            }
        }
    }

    private void in(Field f, List<Object> values, boolean negated) {
        List<Object> numbers = new ArrayList<>();
        List<Object> strings = new ArrayList<>();
        for (Object v : values) {
            if (v instanceof Number) numbers.add(v);
            else strings.add(v.toString());
        }
        switch (f.source()) {
            case PARAM -> {
                openParam(f);
                sql.append(negated ? " AND NOT (" : " AND (");
                // IS NOT NULL keeps each side true or false, never NULL, so 'not in' stays exact
                // when one list half does not apply to the parameter's type.
                list("(p.num_value IS NOT NULL AND p.num_value IN (", numbers, "))", strings.isEmpty() ? "" : " OR ");
                list("(p.value IS NOT NULL AND p.value IN (", strings, "))", "");
                sql.append("))");
            }
            case METRIC -> {
                openMetric(f);
                sql.append(negated ? " AND NOT (" : " AND (");
                list("s." + f.aggregate().column + " IN (", numbers, ")", "");
                sql.append("))");
            }
            case ATTRIBUTE -> {
                sql.append(negated ? "NOT (" : "(");
                if (f.attribute() == RunAttribute.EXPERIMENT) {
                    list("r.experiment_id IN (", numbers, ")", strings.isEmpty() ? "" : " OR ");
                    list("r.experiment_id IN (SELECT e.id FROM experiments e WHERE e.name IN (", strings, "))", "");
                } else {
                    List<Object> all = new ArrayList<>(numbers);
                    all.addAll(strings);
                    list("r." + f.attribute().column + " IN (", all, ")", "");
                }
                sql.append(')');
            }
        }
    }

    /** Appends {@code open ?, ?, ? close separator} when {@code values} is not empty. */
    private void list(String open, List<Object> values, String close, String separator) {
        if (values.isEmpty()) return;
        sql.append(open);
        for (int i = 0; i < values.size(); i++) sql.append(i == 0 ? "?" : ", ?");
        sql.append(close).append(separator);
        args.addAll(values);
    }

    private void openParam(Field f) {
        sql.append("EXISTS (SELECT 1 FROM params p WHERE p.run_id = r.id AND p.key = ?");
        args.add(f.key());
    }

    private void openMetric(Field f) {
        sql.append("EXISTS (SELECT 1 FROM metric_summaries s WHERE s.run_id = r.id AND s.key = ?");
        args.add(f.key());
    }
}
