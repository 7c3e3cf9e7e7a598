package dev.nnlab.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@code ./nnlab bench all|W0..W7 [--peers]}: runs each workload on nnlab and on its peers in one
 * run, alternating the sides round by round (nnlab, peer, nnlab, peer, ...), so that load from
 * other processes drifts over both alike. Before each measurement it waits (bounded) for a quiet
 * machine; each measurement records what other processes took meanwhile.
 *
 * <p>Output: one JSON line per measurement on {@code out} as it finishes, then one summary line per
 * workload (medians and the ratio nnlab / best peer), all on stdout; the table of ratios goes to
 * {@code log} (stderr) at the end, so {@code > results.jsonl} keeps only JSON. A side that cannot
 * run is one {@code "status":"missing"} line with its reason, never skipped silently.
 */
final class BenchHarness {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Side nnlab;
    private final Function<Workload, List<Side>> peers;
    private final QuietMachine quiet;
    private final Machine machine;
    private final BenchRecorder recorder;

    BenchHarness(Side nnlab, Function<Workload, List<Side>> peers, QuietMachine quiet, Machine machine, BenchRecorder recorder) {
        this.nnlab = nnlab;
        this.peers = peers;
        this.quiet = quiet;
        this.machine = machine;
        this.recorder = recorder;
    }

    /** Every measurement made (or reported missing), in the order made. */
    List<Measurement> run(List<Workload> workloads, BenchSettings s, PrintStream out, PrintStream log) throws InterruptedException {
        List<Measurement> all = new ArrayList<>();
        for (Workload w : workloads) {
            log.println("== bench " + w.id() + ": " + w.summary());
            List<Side> sides = new ArrayList<>();
            sides.add(nnlab);
            if (s.peers()) sides.addAll(peers.apply(w));
            List<Side> runnable = new ArrayList<>();
            boolean nnlabMissing = false;
            for (Side side : sides) {
                Measurement missing = side == nnlab || !(w.peersCostly() && nnlabMissing) ? side.unavailable(w, s, log)
                        : Measurement.notMeasured(w.id(), side.system(), side.variant(), 1, Measurement.Status.MISSING,
                                "not measured: its " + w.id() + " takes minutes and nnlab has no " + w.id()
                                        + " side to compare it with yet", null);
                if (side == nnlab) nnlabMissing = missing != null;
                if (missing == null) {
                    runnable.add(side);
                } else {
                    log.println("  " + missing.side() + ": " + missing.status().json() + ", " + missing.reason());
                    emit(missing, s, out, all);
                }
            }
            int rounds = s.rounds(w);
            for (int round = 1; round <= rounds; round++) {
                for (Side side : runnable) {
                    QuietMachine.Wait wait = quiet.await(log);
                    log.printf(Locale.ROOT, "  %s round %d/%d: %s%n", w.id(), round, rounds, label(side));
                    Measurement m = side.measure(w, s, round, log).withWait(wait);
                    log.println("  -> " + describe(m));
                    emit(m, s, out, all);
                }
            }
        }
        List<RatioTable.Row> rows = RatioTable.rows(workloads, all);
        for (RatioTable.Row r : rows) out.println(summaryJson(r, s));
        out.flush();
        log.println();
        log.println("nnlab / peer, median throughput over " + roundsLabel(workloads, s) + ", " + s.threads() + " threads, on "
                + machine.label() + ", " + machine.vectorBits() + "-bit vectors:");
        log.print(RatioTable.render(rows));
        log.print(WordQualityTable.render(workloads, all));
        return all;
    }

    /** "2 round(s)", or per workload when they differ: "5 round(s) for W0, W1, W2 and 2 for W3, W4". */
    static String roundsLabel(List<Workload> workloads, BenchSettings s) {
        var byRounds = new java.util.TreeMap<Integer, List<String>>(java.util.Comparator.reverseOrder());
        for (Workload w : workloads) byRounds.computeIfAbsent(s.rounds(w), k -> new ArrayList<>()).add(w.id());
        if (byRounds.isEmpty()) return "0 round(s)";
        if (byRounds.size() == 1) return byRounds.firstKey() + " round(s)";
        List<String> parts = new ArrayList<>();
        byRounds.forEach((n, ids) -> parts.add(n + (parts.isEmpty() ? " round(s)" : "") + " for " + String.join(", ", ids)));
        return String.join(" and ", parts);
    }

    private void emit(Measurement m, BenchSettings s, PrintStream out, List<Measurement> all) {
        all.add(m);
        out.println(lineJson(m, s));
        out.flush();
        if (recorder != null) recorder.record(m);
    }

    private static String label(Side side) {
        return side.variant() == null ? side.system() : side.system() + " (" + side.variant() + ")";
    }

    private static String describe(Measurement m) {
        if (!m.ok()) return m.status().json() + ": " + m.reason();
        return String.format(Locale.ROOT, "%,.1f %s%s, peak RSS %d MiB, other processes %.2f cores", m.throughput(), m.unit(),
                m.quality() == null ? "" : String.format(Locale.ROOT, ", %s %.4f", m.qualityUnit(), m.quality()),
                m.peakRssKib() / 1024, m.usage().othersCores());
    }

    /** One measurement as a JSON line, with the machine, nnlab's vector width and the side's versions. */
    String lineJson(Measurement m, BenchSettings s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("bench", "workload");
        n.put("workload", m.workload());
        n.put("system", m.system());
        n.put("variant", m.variant());
        n.put("round", m.round());
        n.put("status", m.status().json());
        n.put("reason", m.reason());
        n.put("threads", s.threads());
        if (m.ok()) {
            n.put("throughput", m.throughput());
            n.put("unit", m.unit());
            if (m.quality() != null) n.put("quality", m.quality());
            n.put("quality_unit", m.qualityUnit());
            n.put("peak_rss_mib", m.peakRssKib() < 0 ? null : Math.round(m.peakRssKib() / 102.4) / 10.0);
            n.put("wall_s", round3(m.usage().wallSeconds()));
            n.put("cpu_self_s", round3(m.usage().selfCpuSeconds()));
            n.put("cpu_others_s", round3(m.usage().othersCpuSeconds()));
            n.put("others_cores", round3(m.usage().othersCores()));
        }
        if (m.quietWait() != null) {
            n.put("waited_for_quiet_s", m.quietWait().waitedSeconds());
            if (!Double.isNaN(m.quietWait().busyCores())) n.put("busy_cores_before", round3(m.quietWait().busyCores()));
        }
        if (m.blas() != null) {
            ObjectNode b = n.putObject("blas");
            b.put("kind", m.blas().kind().name().toLowerCase(Locale.ROOT));
            b.put("path", m.blas().path());
            b.put("version", m.blas().version());
            if (m.blas().core() != null) b.put("core", m.blas().core());
        }
        n.set("versions", JSON.valueToTree(m.versions()));
        if (!m.extra().isEmpty()) n.set("extra", JSON.valueToTree(m.extra()));
        n.put("cpu", machine.cpuModel());
        n.put("cores", machine.cores());
        n.put("vector_bits", machine.vectorBits());
        n.put("nnlab_version", machine.nnlabVersion());
        n.put("commit", machine.commit());
        return n.toString();
    }

    String summaryJson(RatioTable.Row r, BenchSettings s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("bench", "summary");
        n.put("workload", r.workload());
        n.put("unit", r.unit());
        Workload w = Workload.find(r.workload());
        n.put("rounds", w == null ? null : s.rounds(w));
        n.put("threads", s.threads());
        putSide(n.putObject("nnlab"), r.nnlab());
        var peerList = n.putArray("peers");
        for (RatioTable.SideSummary p : r.peers()) putSide(peerList.addObject(), p);
        n.put("best_peer", r.bestPeer() == null ? null : r.bestPeer().side());
        if (r.ratio() == null) {
            n.putNull("ratio");
            n.put("why_no_ratio", r.note());
        } else {
            n.put("ratio", Math.round(r.ratio() * 1000) / 1000.0);
        }
        n.put("cpu", machine.cpuModel());
        n.put("cores", machine.cores());
        n.put("vector_bits", machine.vectorBits());
        return n.toString();
    }

    private static void putSide(ObjectNode n, RatioTable.SideSummary s) {
        n.put("side", s.side());
        n.put("status", s.status().json());
        if (s.ok()) {
            n.put("throughput", s.medianThroughput());
            if (s.medianQuality() != null) n.put("quality", s.medianQuality());
            n.put("rounds", s.rounds());
        } else {
            n.put("reason", s.reason());
        }
    }

    private static double round3(double v) { return Math.round(v * 1000) / 1000.0; }

}
