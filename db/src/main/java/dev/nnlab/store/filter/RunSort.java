package dev.nnlab.store.filter;

import java.util.List;

/**
 * The order of a run list: one field and a direction, e.g. {@code metrics.val_acc.max desc},
 * {@code params.lr}, {@code created desc}. Runs without the value come last either way; ties go
 * to the newer run.
 */
public record RunSort(Field field, boolean descending) {

    /** Newest first. */
    public static final RunSort DEFAULT = new RunSort(Field.attribute(RunAttribute.CREATED), true);

    /** Parses {@code <field> [asc|desc]}; null or blank gives {@link #DEFAULT}. */
    public static RunSort parse(String text) {
        if (text == null || text.isBlank()) return DEFAULT;
        List<Token> tokens = FilterLexer.tokenize(text);
        Token first = tokens.getFirst();
        if (first.kind() != Token.Kind.FIELD) {
            throw new FilterSyntaxException("unexpected text", first.position(), first.found(), "a field to sort by");
        }
        Field field = FilterParser.resolveField(first);
        boolean descending = false;
        int i = 1;
        Token dir = tokens.get(i);
        if (dir.kind() == Token.Kind.FIELD && dir.segments().size() == 1
                && (dir.text().equalsIgnoreCase("asc") || dir.text().equalsIgnoreCase("desc"))) {
            descending = dir.text().equalsIgnoreCase("desc");
            i++;
        }
        Token end = tokens.get(i);
        if (end.kind() != Token.Kind.END) {
            throw new FilterSyntaxException("unexpected text", end.position(), end.found(),
                    i == 1 ? "asc, desc or the end" : "the end");
        }
        return new RunSort(field, descending);
    }

    /** The join that brings the sort value next to {@code runs r} as {@code o}, or an empty fragment. */
    public SqlFragment join() {
        return switch (field.source()) {
            case PARAM -> new SqlFragment("LEFT JOIN params o ON o.run_id = r.id AND o.key = ?", List.of(field.key()));
            case METRIC -> new SqlFragment("LEFT JOIN metric_summaries o ON o.run_id = r.id AND o.key = ?",
                    List.of(field.key()));
            case ATTRIBUTE -> new SqlFragment("", List.of());
        };
    }

    /** The {@code ORDER BY} list (without the keywords); {@code NULLS LAST} is portable since SQLite 3.30. */
    public String orderBy() {
        String dir = descending ? " DESC NULLS LAST" : " ASC NULLS LAST";
        String primary = switch (field.source()) {
            case PARAM -> "o.num_value" + dir + ", o.value" + dir;
            case METRIC -> "o." + field.aggregate().column + dir;
            case ATTRIBUTE -> "r." + field.attribute().column + dir;
        };
        return primary + ", r.id DESC";
    }
}
