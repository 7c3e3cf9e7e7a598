package dev.nnlab.store.filter;

import java.util.List;

/**
 * The filter language of {@code nnlab runs ls --filter} and of the HTTP API, e.g.
 * {@code params.lr < 0.01 and metrics.val_acc.max > 0.9 and status in ('FINISHED', 'STOPPED')}.
 *
 * <ul>
 *   <li>{@code and}, {@code or}, {@code not}, parentheses; {@code not} binds tightest, then
 *       {@code and}, then {@code or}.</li>
 *   <li>Comparisons {@code = != < <= > >=} and {@code [not] in (a, b, ...)} against numbers,
 *       quoted strings ({@code 'it''s'}) and {@code true}/{@code false}.</li>
 *   <li>Fields: {@code params.<key>}; {@code metrics.<key>} (the last value) and
 *       {@code metrics.<key>.last|min|max}; run attributes {@code id name status family experiment
 *       dataset seed plugin created started ended}. A key with odd characters goes in backquotes:
 *       {@code params.`my key`}.</li>
 * </ul>
 *
 * <p>Stability: the language is user-facing; extend it, do not change its meaning.
 */
public final class RunFilter {

    private RunFilter() {
    }

    /** Parses a filter; throws {@link FilterSyntaxException} naming the position and what was expected. */
    public static FilterNode parse(String filter) {
        return FilterParser.parse(filter);
    }

    /**
     * A {@code WHERE} condition over the table {@code runs} aliased {@code r}; a null or blank
     * filter matches every run.
     */
    public static SqlFragment toSql(String filter) {
        if (filter == null || filter.isBlank()) return new SqlFragment("1 = 1", List.of());
        return FilterCompiler.compile(parse(filter));
    }
}
