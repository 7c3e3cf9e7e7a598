package dev.nnlab.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The word-vector quality of W6/W7/W6g/W7g side by side, one line per side that was measured:
 * analogy accuracy over the questions whose four words are in its vocabulary (with that count, the
 * coverage), and the Spearman correlations on WordSim-353 and SimLex-999. Every side reports these
 * in its {@code extra} under the same keys ({@code word_quality.py} for the peers). With several
 * rounds, the round of median throughput stands for the side.
 */
final class WordQualityTable {
    private WordQualityTable() {}

    static String render(List<Workload> workloads, List<Measurement> all) {
        StringBuilder sb = new StringBuilder();
        for (Workload w : workloads) {
            if (!Word2VecWorkload.covers(w)) continue;
            List<String> sides = new ArrayList<>();
            for (Measurement m : all) if (m.workload().equals(w.id()) && m.ok() && !sides.contains(m.side())) sides.add(m.side());
            for (String side : sides) {
                Measurement m = medianRound(all, w.id(), side);
                Map<String, Object> x = m.extra();
                Object mode = x.get("mode");
                sb.append(String.format(Locale.ROOT, "  %-4s %-9s analogy %s of %s questions, WordSim-353 %s, SimLex-999 %s, %,.0f words/s%s%n",
                        w.id(), side, percent(x.get("analogy_acc")), count(x.get("analogy_questions")),
                        fixed(x.get("wordsim353")), fixed(x.get("simlex999")), m.throughput(),
                        mode == null ? "" : " (" + mode + ")"));
                // A side trained more than one way (gensim: token lists and corpus_file) reports the other ways' quality too.
                if (x.get("quality_by_mode") instanceof Map<?, ?> byMode) {
                    Map<?, ?> speeds = x.get("words_per_sec_by_mode") instanceof Map<?, ?> sp ? sp : Map.of();
                    for (Map.Entry<?, ?> e : byMode.entrySet()) {
                        if (e.getKey().equals(mode) || !(e.getValue() instanceof Map<?, ?> q)) continue;
                        Object speed = speeds.get(e.getKey());
                        sb.append(String.format(Locale.ROOT, "  %-4s %-9s analogy %s of %s questions, WordSim-353 %s, SimLex-999 %s, %s words/s (%s, the slower way)%n",
                                w.id(), side, percent(q.get("analogy_acc")), count(q.get("analogy_questions")),
                                fixed(q.get("wordsim353")), fixed(q.get("simlex999")),
                                speed instanceof Number n ? String.format(Locale.ROOT, "%,.0f", n.doubleValue()) : "-", e.getKey()));
                    }
                }
            }
        }
        return sb.isEmpty() ? "" : "word-vector quality (same evaluation code per side: 3CosAdd analogies, Spearman):"
                + System.lineSeparator() + sb;
    }

    static Measurement medianRound(List<Measurement> all, String workload, String side) {
        List<Measurement> ok = all.stream().filter(m -> m.workload().equals(workload) && m.side().equals(side) && m.ok())
                .sorted((a, b) -> Double.compare(a.throughput(), b.throughput())).toList();
        return ok.get((ok.size() - 1) / 2);
    }

    private static String percent(Object v) {
        return v instanceof Number n ? String.format(Locale.ROOT, "%.1f%%", 100 * n.doubleValue()) : "-";
    }

    private static String count(Object v) {
        return v instanceof Number n ? String.format(Locale.ROOT, "%,d", n.longValue()) : "-";
    }

    private static String fixed(Object v) {
        return v instanceof Number n ? String.format(Locale.ROOT, "%.3f", n.doubleValue()) : "-";
    }
}
