package dev.nnlab.cli;

import dev.nnlab.host.LoadedFamily;
import dev.nnlab.runs.Workbench;
import dev.nnlab.store.Experiment;
import dev.nnlab.store.MetricSummary;
import dev.nnlab.store.Param;
import dev.nnlab.store.Run;
import dev.nnlab.store.RunQuery;
import dev.nnlab.store.RunStatus;
import dev.nnlab.sweep.ExperimentSpec;
import dev.nnlab.sweep.RefinePlanner;
import dev.nnlab.sweep.SpecException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./nnlab run --refine EXPERIMENT}: the spec of a finer random search around the best region
 * of a recorded experiment ({@link RefinePlanner}), with what it chose and why on stderr. The new
 * experiment is named {@code NAME-refined} (then {@code -refined-2}, ...), so the coarse one keeps its runs.
 */
final class RefineCommandSupport {
    private RefineCommandSupport() {}

    static String refinedSpec(Workbench wb, String name, String metric, int trials) {
        if (trials < 1 || trials > 10_000) throw new InputError("--trials: " + trials + " is not allowed; expected 1 to 10000");
        Experiment e = wb.store().experiments().findByName(name)
                .orElseThrow(() -> new InputError("--refine: no experiment named \"" + name + "\" in the store; ./nnlab runs ls lists them"));
        if (e.spec() == null) throw new InputError("--refine: experiment \"" + name + "\" has no recorded spec to refine");
        ExperimentSpec coarse;
        try {
            coarse = ExperimentSpec.parse("experiment " + name, e.spec().toString());
        } catch (SpecException ex) {
            throw new InputError("--refine: the recorded spec of \"" + name + "\" no longer parses: " + ex.getMessage());
        }
        LoadedFamily family = wb.plugins().family(coarse.family());
        if (family == null) throw new InputError("--refine: family \"" + coarse.family() + "\" of \"" + name + "\" is not loaded");
        boolean lower = metric.endsWith("_loss");
        List<Run> runs = wb.store().runs().list(RunQuery.all().inExperiment(name).sortedBy("id asc"));
        Map<Long, List<MetricSummary>> sums = wb.store().metrics().summaries(runs.stream().map(Run::id).toList());
        Map<Long, List<Param>> params = wb.store().runs().params(runs.stream().map(Run::id).toList());
        List<RefinePlanner.Scored> scored = new ArrayList<>();
        boolean seen = false;
        for (Run r : runs) {
            for (MetricSummary m : sums.getOrDefault(r.id(), List.of())) {
                if (!m.key().equals(metric)) continue;
                seen = true;
                double v = lower ? m.min() : m.max();
                if (r.status() == RunStatus.FINISHED && Double.isFinite(v)) {
                    Map<String, Object> p = new LinkedHashMap<>();
                    for (Param q : params.getOrDefault(r.id(), List.of())) p.put(q.key(), dev.nnlab.runs.RunRow.value(q));
                    scored.add(new RefinePlanner.Scored(r.id(), p, v));
                }
            }
        }
        if (!seen) throw new InputError("--metric: no run of \"" + name + "\" recorded " + metric + "; try val_loss, train_loss or train_acc");
        String newName = name + "-refined";
        for (int i = 2; wb.store().experiments().findByName(newName).isPresent(); i++) newName = name + "-refined-" + i;
        RefinePlanner plan;
        try {
            plan = RefinePlanner.plan(coarse, family.family().params(), scored, metric, lower, trials, newName);
        } catch (IllegalArgumentException ex) {
            throw new InputError("--refine: " + ex.getMessage());
        }
        System.err.println("refining " + name + " into " + newName + ":");
        plan.explanation().forEach(line -> System.err.println("  " + line));
        return plan.document().toString();
    }
}
