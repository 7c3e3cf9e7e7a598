package dev.nnlab.cli;

import dev.nnlab.store.Experiment;
import dev.nnlab.store.RunQuery;
import dev.nnlab.store.Store;
import dev.nnlab.store.filter.FilterSyntaxException;
import dev.nnlab.store.filter.RunFilter;
import dev.nnlab.store.filter.RunSort;
import picocli.CommandLine;
import picocli.CommandLine.Option;


/**
 * Which runs a read command looks at: {@code --experiment NAME} and {@code --filter EXPR}, a picocli
 * mixin shared by {@code runs ls} and {@code runs export}. A filter that does not parse is bad input
 * (exit 2) with the parser's position and expectation; its values are bound by the store, never
 * pasted into SQL.
 */
final class RunSelection {

    @Option(names = "--experiment", paramLabel = "NAME", description = "Only the runs of this experiment.")
    String experiment;

    @Option(names = "--filter", paramLabel = "EXPR",
            description = {"Only runs matching EXPR, e.g. \"params.lr < 0.01 and metrics.val_acc.max > 0.9\".",
                    "Fields: params.<key>, metrics.<key>[.last|.min|.max], id, name, status, family, experiment, "
                            + "dataset, seed, plugin, created, started, ended; and, or, not, in (...)."})
    String filter;

    /**
     * The query for the matching runs, in {@code sort} order ({@code null}: newest first), at most
     * {@code limit} ({@code 0}: all).
     *
     * @throws CommandLine.ParameterException for a malformed filter or sort, or an unknown experiment
     */
    RunQuery query(Store store, String sort, int limit, CommandLine cli) {
        String where = checked(cli, "--filter", filter, () -> RunFilter.parse(filter));
        checked(cli, "--sort", sort, () -> RunSort.parse(sort));
        if (experiment != null && store.experiments().findByName(experiment).isEmpty()) {
            throw new CommandLine.ParameterException(cli, "--experiment: no experiment named '" + experiment + "'; known: "
                    + String.join(", ", store.experiments().list().stream().map(Experiment::name).toList()));
        }
        // The experiment is bound by the store, never pasted into the filter text, so the user's
        // filter keeps its own error positions.
        return new RunQuery(where, sort, Math.max(0, limit), 0, null, experiment);
    }

    private static String checked(CommandLine cli, String option, String text, Runnable parse) {
        if (text == null || text.isBlank()) return null;
        try {
            parse.run();
        } catch (FilterSyntaxException e) {
            throw new CommandLine.ParameterException(cli, option + " \"" + text + "\": " + e.getMessage());
        }
        return text;
    }
}
