package dev.nnlab.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The summary of one benchmark run: per workload, nnlab's median throughput over its rounds, each
 * peer's, and the ratio nnlab / the best peer (higher is better for nnlab). A side that was not
 * measured gives no ratio, only its reason: a ratio is never made up from one side.
 */
final class RatioTable {
    private RatioTable() {}

    /** The table's note column is cut here; the JSON lines carry every reason in full. */
    static final int NOTE_WIDTH = 160;

    /** One side's figures over its rounds. */
    record SideSummary(String side, Measurement.Status status, String reason, double medianThroughput, Double medianQuality,
                       int rounds) {
        boolean ok() { return status == Measurement.Status.OK; }
    }

    /**
     * @param ratio nnlab / best peer by median throughput; null when either side was not measured
     */
    record Row(String workload, String unit, String qualityUnit, SideSummary nnlab, List<SideSummary> peers, SideSummary bestPeer,
               Double ratio) {

        /** Why there is no ratio, when there is none. */
        String note() {
            if (ratio != null) return "";
            List<String> why = new ArrayList<>();
            if (!nnlab.ok()) why.add("nnlab " + nnlab.status().json() + ": " + nnlab.reason());
            if (bestPeer == null) {
                if (peers.isEmpty()) why.add("peers not run (--peers)");
                for (SideSummary p : peers) why.add(p.side() + " " + p.status().json() + ": " + p.reason());
            }
            String note = String.join("; ", why).replaceAll("\\s+", " ");
            return note.length() <= NOTE_WIDTH ? note : note.substring(0, NOTE_WIDTH - 3) + "...";
        }
    }

    static List<Row> rows(List<Workload> workloads, List<Measurement> all) {
        List<Row> rows = new ArrayList<>();
        for (Workload w : workloads) {
            Map<String, List<Measurement>> bySide = new LinkedHashMap<>();
            for (Measurement m : all) {
                if (m.workload().equals(w.id())) bySide.computeIfAbsent(m.side(), k -> new ArrayList<>()).add(m);
            }
            SideSummary nnlab = null;
            List<SideSummary> peers = new ArrayList<>();
            for (var e : bySide.entrySet()) {
                SideSummary s = summarise(e.getKey(), e.getValue());
                if (e.getValue().getFirst().system().equals("nnlab")) nnlab = s;
                else peers.add(s);
            }
            if (nnlab == null) nnlab = new SideSummary("nnlab", Measurement.Status.MISSING, "not run", Double.NaN, null, 0);
            SideSummary best = null;
            for (SideSummary p : peers) {
                if (p.ok() && (best == null || p.medianThroughput() > best.medianThroughput())) best = p;
            }
            Double ratio = nnlab.ok() && best != null ? nnlab.medianThroughput() / best.medianThroughput() : null;
            rows.add(new Row(w.id(), w.unit(), w.qualityUnit(), nnlab, peers, best, ratio));
        }
        return rows;
    }

    /** OK rounds give the medians; with none, the first round's status and reason stand for the side. */
    static SideSummary summarise(String side, List<Measurement> rounds) {
        List<Measurement> ok = rounds.stream().filter(Measurement::ok).toList();
        if (ok.isEmpty()) {
            Measurement first = rounds.getFirst();
            return new SideSummary(side, first.status(), first.reason(), Double.NaN, null, 0);
        }
        double[] t = ok.stream().mapToDouble(Measurement::throughput).toArray();
        double[] q = ok.stream().filter(m -> m.quality() != null).mapToDouble(Measurement::quality).toArray();
        return new SideSummary(side, Measurement.Status.OK, null, median(t), q.length == 0 ? null : median(q), ok.size());
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** The table printed after the JSON lines (on stderr): one line per workload, then the peers' figures. */
    static String render(List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"workload", "nnlab", "best peer", "peer", "nnlab/peer", "quality nnlab", "quality peer", "note"});
        for (Row r : rows) {
            cells.add(new String[] {r.workload(), figure(r.nnlab(), r.unit()),
                    r.bestPeer() == null ? "-" : r.bestPeer().side(),
                    r.bestPeer() == null ? "-" : figure(r.bestPeer(), r.unit()),
                    r.ratio() == null ? "-" : String.format(Locale.ROOT, "%.2fx", r.ratio()),
                    quality(r.nnlab()), r.bestPeer() == null ? "-" : quality(r.bestPeer()), r.note()});
        }
        int[] width = new int[cells.getFirst().length];
        for (String[] row : cells) for (int i = 0; i < row.length; i++) width[i] = Math.max(width[i], row[i].length());
        StringBuilder sb = new StringBuilder();
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                sb.append(i == row.length - 1 ? row[i] : String.format("%-" + width[i] + "s  ", row[i]));
            }
            sb.append(System.lineSeparator());
        }
        for (Row r : rows) {
            for (SideSummary p : r.peers()) {
                if (p.ok() && p != r.bestPeer()) {
                    sb.append(String.format(Locale.ROOT, "  %s also measured: %s %s%n", r.workload(), p.side(), figure(p, r.unit())));
                }
            }
        }
        return sb.toString();
    }

    private static String figure(SideSummary s, String unit) {
        if (!s.ok()) return s.status().json();
        return String.format(Locale.ROOT, "%,.1f %s", s.medianThroughput(), unit);
    }

    private static String quality(SideSummary s) {
        return s.ok() && s.medianQuality() != null ? String.format(Locale.ROOT, "%.4f", s.medianQuality()) : "-";
    }
}
