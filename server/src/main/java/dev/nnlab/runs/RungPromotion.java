package dev.nnlab.runs;

import dev.nnlab.store.MetricSummary;
import dev.nnlab.store.Run;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;
import dev.nnlab.sweep.HalvingPlanner;
import dev.nnlab.sweep.SweepOptions.Halving;
import dev.nnlab.sweep.Trial;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which configurations of a successive-halving rung go on to the next: the rung's runs grouped by
 * configuration (the parameters without seed and epochs), each group scored by the mean of the last
 * value of the ranking metric over its seeds, the best {@link Halving#promoted} share kept. A group
 * with a run that did not finish (diverged, aborted, failed) or lacks the metric is not ranked: it
 * cannot be promoted.
 *
 * @param promoted the promoted trials of the rung (every seed of each kept configuration), best first
 * @param from     for each promoted trial (by position), the rung's run ids of its configuration
 * @param summary  one line saying what was kept and why
 */
public record RungPromotion(List<Trial> promoted, List<List<Long>> from, String summary) {

    /** A configuration of the rung with its score; NaN when unranked. */
    record Group(Map<String, Object> configuration, List<Trial> trials, List<Long> runIds, double score) {}

    public static RungPromotion choose(Store store, Halving h, int rung, List<Trial> trials, List<Long> runIds) {
        Map<Long, List<MetricSummary>> sums = store.metrics().summaries(runIds);
        Map<Long, Double> score = new LinkedHashMap<>();
        for (long id : runIds) {
            Run run = store.runs().get(id).orElse(null);
            double v = Double.NaN;
            if (run != null && run.status() == RunStatus.FINISHED) {
                for (MetricSummary m : sums.getOrDefault(id, List.of())) if (m.key().equals(h.metric())) v = m.last();
            }
            score.put(id, v);
        }
        return choose(h, rung, trials, runIds, score);
    }

    /** The choice from given scores (NaN: no score), for {@link #choose(Store, Halving, int, List, List)} and tests. */
    static RungPromotion choose(Halving h, int rung, List<Trial> trials, List<Long> runIds, Map<Long, Double> score) {
        Map<Map<String, Object>, List<Integer>> byConfig = new LinkedHashMap<>();
        for (int i = 0; i < trials.size(); i++) {
            byConfig.computeIfAbsent(HalvingPlanner.configuration(trials.get(i).params()), k -> new ArrayList<>()).add(i);
        }
        List<Group> groups = new ArrayList<>();
        for (var e : byConfig.entrySet()) {
            double sum = 0;
            boolean ranked = true;
            List<Trial> ts = new ArrayList<>();
            List<Long> ids = new ArrayList<>();
            for (int i : e.getValue()) {
                double v = score.getOrDefault(runIds.get(i), Double.NaN);
                if (!Double.isFinite(v)) ranked = false;
                sum += v;
                ts.add(trials.get(i));
                ids.add(runIds.get(i));
            }
            groups.add(new Group(e.getKey(), ts, ids, ranked ? sum / ts.size() : Double.NaN));
        }
        Comparator<Group> better = Comparator.comparingDouble(Group::score);
        if (!h.lowerIsBetter()) better = better.reversed();
        List<Group> ranked = groups.stream().filter(g -> !Double.isNaN(g.score())).sorted(better).toList();
        int keep = Math.min(ranked.size(), h.promoted(groups.size()));
        List<Trial> promoted = new ArrayList<>();
        List<List<Long>> from = new ArrayList<>();
        for (Group g : ranked.subList(0, keep)) {
            for (Trial t : g.trials()) {
                promoted.add(t);
                from.add(List.copyOf(g.runIds()));
            }
        }
        int unranked = groups.size() - ranked.size();
        String summary;
        if (keep == 0) {
            summary = String.format(Locale.ROOT, "rung %d: none of %d configuration(s) finished with a %s; no rung %d",
                    rung, groups.size(), h.metric(), rung + 1);
        } else {
            summary = String.format(Locale.ROOT, "rung %d -> %d: kept %d of %d configuration(s) (keep %.2f) by %s %s: best %.4g, cut-off %.4g%s",
                    rung, rung + 1, keep, groups.size(), h.keep(), h.lowerIsBetter() ? "lowest" : "highest", h.metric(),
                    ranked.getFirst().score(), ranked.get(keep - 1).score(),
                    unranked == 0 ? "" : "; " + unranked + " not ranked (a run did not finish or lacks " + h.metric() + ")");
        }
        return new RungPromotion(promoted, from, summary);
    }
}
