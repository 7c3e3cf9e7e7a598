package dev.nnlab.runs;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nnlab.store.Experiment;
import dev.nnlab.store.MetricSummary;
import dev.nnlab.store.Note;
import dev.nnlab.store.Param;
import dev.nnlab.store.Provenance;
import dev.nnlab.store.Run;
import dev.nnlab.store.RunQuery;
import dev.nnlab.store.Store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The read side of runs for lists and detail pages: pages of {@link RunRow}s built from summaries
 * (never raw points), a run's full record, the experiments. Knows nothing of HTTP.
 */
public final class RunCatalog {
    /** A page larger than this is refused: a list view never needs more, and it bounds a request's cost. */
    public static final int MAX_PAGE = 1000;

    private final Store store;

    public RunCatalog(Store store) {
        this.store = store;
    }

    /** One page of a run list and how many runs match in all. */
    public record Page(long total, List<RunRow> runs) {}

    /** A run's full record: its row, provenance, resolved configuration, tags and notes. */
    public record RunDetail(@JsonUnwrapped RunRow row, ProvenanceView provenance, JsonNode config, Map<String, String> tags,
                            List<NoteView> notes) {}

    public record ProvenanceView(String pluginId, String pluginVersion, String nnlabVersion, String gitCommit,
                                 Long seed, String dataset, String datasetChecksum) {
        static ProvenanceView of(Provenance p) {
            return new ProvenanceView(p.pluginId(), p.pluginVersion(), p.nnlabVersion(), p.gitCommit(), p.seed(),
                    p.dataset(), p.datasetChecksum());
        }
    }

    public record NoteView(long id, String text, long created) {
        public static NoteView of(Note n) {
            return new NoteView(n.id(), n.body(), n.created().toEpochMilli());
        }
    }

    public record ExperimentRow(long id, String name, long created, long runCount, JsonNode spec) {}

    /**
     * The runs matching {@code query}, one page of them.
     *
     * @throws dev.nnlab.store.filter.FilterSyntaxException for a malformed filter or sort
     */
    public Page list(RunQuery query) {
        if (query.limit() < 1 || query.limit() > MAX_PAGE) {
            throw new InvalidInputException("limit " + query.limit() + " is not allowed; expected 1 to " + MAX_PAGE);
        }
        if (query.offset() < 0) throw new InvalidInputException("offset " + query.offset() + " is not allowed; expected >= 0");
        List<Run> runs = store.runs().list(query);
        long total = store.runs().countMatching(query);
        return new Page(total, rows(runs));
    }

    /**
     * Every run matching {@code query} (its limit and offset as given; a limit of 0 for all), as
     * rows: what {@code ./nnlab runs ls} prints, with no page size cap.
     *
     * @throws dev.nnlab.store.filter.FilterSyntaxException for a malformed filter or sort
     */
    public List<RunRow> rows(RunQuery query) {
        return rows(store.runs().list(query));
    }

    /** @throws UnknownRunException when there is no such run */
    public RunDetail detail(long runId) {
        Run run = store.runs().get(runId).orElseThrow(() -> new UnknownRunException(runId));
        RunRow row = rows(List.of(run)).getFirst();
        List<NoteView> notes = store.annotations().notes(runId).stream().map(NoteView::of).toList();
        return new RunDetail(row, ProvenanceView.of(run.provenance()), run.config(), store.annotations().tags(runId), notes);
    }

    /** Every experiment, newest first, with its run count and spec. */
    public List<ExperimentRow> experiments() {
        Map<Long, Long> counts = store.experiments().runCounts();
        List<ExperimentRow> out = new ArrayList<>();
        for (Experiment e : store.experiments().list()) {
            out.add(new ExperimentRow(e.id(), e.name(), e.created().toEpochMilli(), counts.getOrDefault(e.id(), 0L), e.spec()));
        }
        return out;
    }

    /** Rows for {@code runs} in their order: three queries for the whole page, not three per run. */
    private List<RunRow> rows(List<Run> runs) {
        List<Long> ids = runs.stream().map(Run::id).toList();
        Map<Long, List<Param>> params = store.runs().params(ids);
        Map<Long, List<MetricSummary>> metrics = store.metrics().summaries(ids);
        Map<Long, String> experiments = new HashMap<>();
        for (Experiment e : store.experiments().list()) experiments.put(e.id(), e.name());
        List<RunRow> out = new ArrayList<>(runs.size());
        for (Run r : runs) {
            out.add(RunRow.of(r, experiments.get(r.experimentId()), params.getOrDefault(r.id(), List.of()),
                    metrics.getOrDefault(r.id(), List.of())));
        }
        return out;
    }
}
