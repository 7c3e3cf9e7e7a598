package dev.nnlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnlab.store.Experiment;
import dev.nnlab.store.MetricSummary;
import dev.nnlab.store.Param;
import dev.nnlab.store.Run;
import dev.nnlab.store.RunQuery;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The harness with sides that stand in for nnlab and the peers: order, missing sides, lines, ratios, the store. */
class BenchHarnessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Machine MACHINE = new Machine("Test CPU 9000", 2, 512, "1.2.3", "abc123");

    @TempDir
    Path dir;

    private final List<String> calls = new ArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    /** A side that answers {@code throughput} (times the round) and notes each call. */
    private Side side(String system, String variant, double throughput, String missing) {
        return new Side() {
            @Override public String system() { return system; }
            @Override public String variant() { return variant; }

            @Override
            public Measurement unavailable(Workload w, BenchSettings s, PrintStream l) {
                return missing == null ? null
                        : Measurement.notMeasured(w.id(), system, variant, 1, Measurement.Status.MISSING, missing, null);
            }

            @Override
            public Measurement measure(Workload w, BenchSettings s, int round, PrintStream l) {
                calls.add(w.id() + " " + system + (variant == null ? "" : "/" + variant) + " " + round);
                return new Measurement(w.id(), system, variant, round, Measurement.Status.OK, null, throughput * round, w.unit(),
                        0.9, w.qualityUnit(), new CpuWindow.Usage(2.0, 3.8, 4.2), 512 * 1024, null,
                        Map.of("lib", system + "-9.9"), Map.of("epochs", 5), null);
            }
        };
    }

    private BenchSettings settings(int rounds, boolean peers) {
        return new BenchSettings(dir, dir, 2, rounds, peers, null, 0, null);
    }

    private List<Measurement> run(BenchHarness h, List<Workload> ws, BenchSettings s) throws Exception {
        return h.run(ws, s, new PrintStream(out, true), new PrintStream(log, true));
    }

    private List<JsonNode> lines() throws Exception {
        List<JsonNode> l = new ArrayList<>();
        for (String line : out.toString().split("\n")) l.add(JSON.readTree(line));
        return l;
    }

    @Test
    void sides_alternate_nnlab_then_each_peer_round_by_round() throws Exception {
        Side nnlab = side("nnlab", null, 100, null);
        List<Side> peers = List.of(side("numpy", "a", 50, null), side("numpy", "b", 80, null));
        BenchHarness h = new BenchHarness(nnlab, w -> peers, new QuietMachine(0), MACHINE, null);
        run(h, List.of(Workload.W0), settings(2, true));
        assertThat(calls).containsExactly("W0 nnlab 1", "W0 numpy/a 1", "W0 numpy/b 1", "W0 nnlab 2", "W0 numpy/a 2", "W0 numpy/b 2");
    }

    @Test
    void without_rounds_the_workloads_that_take_seconds_run_five_rounds_and_the_others_two() throws Exception {
        Side nnlab = side("nnlab", null, 100, null);
        List<Side> peers = List.of(side("pytorch", null, 50, null));
        BenchHarness h = new BenchHarness(nnlab, w -> peers, new QuietMachine(0), MACHINE, null);
        run(h, List.of(Workload.W2, Workload.W3), new BenchSettings(dir, dir, 2, null, true, null, 0, null));
        assertThat(calls.stream().filter(c -> c.startsWith("W2 nnlab"))).hasSize(5);
        assertThat(calls.stream().filter(c -> c.startsWith("W2 pytorch"))).hasSize(5);
        assertThat(calls.stream().filter(c -> c.startsWith("W3 nnlab"))).hasSize(2);
        assertThat(calls.subList(0, 4)).containsExactly("W2 nnlab 1", "W2 pytorch 1", "W2 nnlab 2", "W2 pytorch 2");
        List<JsonNode> summaries = lines().stream().filter(n -> n.path("bench").asText().equals("summary")).toList();
        assertThat(summaries).extracting(n -> n.get("rounds").asInt()).containsExactly(5, 2);
        // throughput is 100 x round on nnlab and 50 x round on the peer: medians of rounds 1-5 are 300 and 150
        assertThat(summaries.getFirst().get("ratio").asDouble()).isCloseTo(2.0, within(1e-9));
        assertThat(log.toString()).contains("median throughput over 5 round(s) for W2 and 2 for W3");
    }

    @Test
    void an_explicit_rounds_applies_to_every_workload() throws Exception {
        BenchHarness h = new BenchHarness(side("nnlab", null, 100, null), w -> List.of(), new QuietMachine(0), MACHINE, null);
        run(h, List.of(Workload.W1, Workload.W4), settings(3, false));
        assertThat(calls).containsExactly("W1 nnlab 1", "W1 nnlab 2", "W1 nnlab 3", "W4 nnlab 1", "W4 nnlab 2", "W4 nnlab 3");
        assertThat(log.toString()).contains("median throughput over 3 round(s),");
    }

    @Test
    void without_peers_only_nnlab_runs_and_the_summary_says_why_there_is_no_ratio() throws Exception {
        BenchHarness h = new BenchHarness(side("nnlab", null, 100, null), w -> { throw new AssertionError("peers asked for"); },
                new QuietMachine(0), MACHINE, null);
        run(h, List.of(Workload.W1), settings(1, false));
        assertThat(calls).containsExactly("W1 nnlab 1");
        JsonNode summary = lines().getLast();
        assertThat(summary.get("bench").asText()).isEqualTo("summary");
        assertThat(summary.get("ratio").isNull()).isTrue();
        assertThat(summary.get("why_no_ratio").asText()).contains("--peers");
    }

    @Test
    void a_missing_peer_is_one_missing_line_with_its_reason_and_no_ratio() throws Exception {
        Side torch = side("pytorch", null, 50, "/usr/bin/python3 cannot import torch (Debian: apt-get install python3-torch)");
        BenchHarness h = new BenchHarness(side("nnlab", null, 100, null), w -> List.of(torch), new QuietMachine(0), MACHINE, null);
        run(h, List.of(Workload.W2), settings(2, true));
        assertThat(calls).containsExactly("W2 nnlab 1", "W2 nnlab 2");
        List<JsonNode> missing = lines().stream().filter(n -> n.path("status").asText().equals("missing")).toList();
        assertThat(missing).hasSize(1);
        assertThat(missing.getFirst().get("system").asText()).isEqualTo("pytorch");
        assertThat(missing.getFirst().get("reason").asText()).contains("python3-torch");
        JsonNode summary = lines().getLast();
        assertThat(summary.get("ratio").isNull()).isTrue();
        assertThat(summary.get("why_no_ratio").asText()).contains("pytorch missing").contains("python3-torch");
        assertThat(log.toString()).contains("pytorch: missing");
    }

    @Test
    void a_workload_without_an_nnlab_family_is_missing_on_nnlab_while_its_peers_are_still_measured() throws Exception {
        Side nnlab = new NnlabSide(null); // no registry: the reason comes from the workload's missing runner
        BenchHarness h = new BenchHarness(nnlab, w -> List.of(side("gensim", null, 900_000, null)), new QuietMachine(0), MACHINE, null);
        // A workload whose nnlab runner is not written yet and whose peers are cheap (as W6 was before its runner).
        Workload pending = new Workload("W6", Workload.W6.summary(), "words/s", "wordsim353_spearman", "word2vec", false, 1, List.of(), false);
        run(h, List.of(pending), settings(1, true));
        assertThat(calls).containsExactly("W6 gensim 1");
        JsonNode nnlabLine = lines().getFirst();
        assertThat(nnlabLine.get("system").asText()).isEqualTo("nnlab");
        assertThat(nnlabLine.get("status").asText()).isEqualTo("missing");
        assertThat(nnlabLine.get("reason").asText()).contains("W6").contains("word2vec");
        assertThat(lines().getLast().get("ratio").isNull()).isTrue();
        assertThat(lines().getLast().get("best_peer").asText()).isEqualTo("gensim");
    }

    @Test
    void a_costly_peer_runs_only_when_nnlab_has_the_workload_too() throws Exception {
        Side torch = side("pytorch", null, 2700, null);
        // No plugins at all: the cnn family that trains W3 is not loaded, so nnlab's side is missing.
        BenchHarness without = new BenchHarness(new NnlabSide(dev.nnlab.host.PluginRegistry.load(dir)), w -> List.of(torch),
                new QuietMachine(0), MACHINE, null);
        run(without, List.of(Workload.W3), settings(1, true));
        assertThat(calls).isEmpty();
        assertThat(lines().get(1).get("reason").asText()).contains("takes minutes").contains("no W3 side");

        BenchHarness with = new BenchHarness(side("nnlab", null, 4000, null), w -> List.of(torch), new QuietMachine(0), MACHINE, null);
        run(with, List.of(Workload.W3), settings(1, true));
        assertThat(calls).containsExactly("W3 nnlab 1", "W3 pytorch 1");
    }

    @Test
    void every_line_names_the_cpu_the_vector_width_and_the_sides_versions() throws Exception {
        BenchHarness h = new BenchHarness(side("nnlab", null, 100, null), w -> List.of(side("pytorch", null, 50, null)),
                new QuietMachine(0), MACHINE, null);
        run(h, List.of(Workload.W1), settings(1, true));
        for (JsonNode n : lines()) {
            assertThat(n.get("cpu").asText()).isEqualTo("Test CPU 9000");
            assertThat(n.get("vector_bits").asInt()).isEqualTo(512);
        }
        JsonNode peer = lines().get(1);
        assertThat(peer.get("versions").get("lib").asText()).isEqualTo("pytorch-9.9");
        assertThat(peer.get("peak_rss_mib").asDouble()).isEqualTo(512.0);
        assertThat(peer.get("cpu_others_s").asDouble()).isCloseTo(0.4, within(1e-9));
        assertThat(peer.get("commit").asText()).isEqualTo("abc123");
    }

    @Test
    void the_summary_ratio_is_nnlabs_median_over_the_best_peers_median() throws Exception {
        // nnlab: 100, 200, 300 -> 200; numpy a: 50, 100, 150 -> 100; numpy b: 80, 160, 240 -> 160
        BenchHarness h = new BenchHarness(side("nnlab", null, 100, null),
                w -> List.of(side("numpy", "a", 50, null), side("numpy", "b", 80, null)), new QuietMachine(0), MACHINE, null);
        run(h, List.of(Workload.W0), settings(3, true));
        JsonNode summary = lines().getLast();
        assertThat(summary.get("nnlab").get("throughput").asDouble()).isEqualTo(200);
        assertThat(summary.get("best_peer").asText()).isEqualTo("numpy (b)");
        assertThat(summary.get("ratio").asDouble()).isEqualTo(1.25);
        assertThat(log.toString()).contains("1.25x").contains("W0 also measured: numpy (a)");
    }

    @Test
    void every_measured_side_becomes_a_run_of_the_bench_experiment_and_a_missing_one_does_not(@TempDir Path db) throws Exception {
        try (Store store = Store.open(db.resolve("bench.db"))) {
            Side failing = new Side() {
                @Override public String system() { return "fasttext"; }
                @Override public Measurement unavailable(Workload w, BenchSettings s, PrintStream l) { return null; }
                @Override public Measurement measure(Workload w, BenchSettings s, int round, PrintStream l) {
                    return SideResult.failed(w, "fasttext", null, round, "exited with 1: boom");
                }
            };
            BenchHarness h = new BenchHarness(side("nnlab", null, 1000, null),
                    w -> List.of(side("gensim", null, 800, null), failing, side("other", null, 1, "not installed")),
                    new QuietMachine(0), MACHINE, new BenchRecorder(store, MACHINE, 2));
            run(h, List.of(Workload.W7), settings(1, true));

            Experiment bench = store.experiments().findByName("bench").orElseThrow();
            List<Run> runs = store.runs().list(RunQuery.all());
            assertThat(runs).hasSize(3).allSatisfy(r -> assertThat(r.experimentId()).isEqualTo(bench.id()));
            Run nnlab = runs.stream().filter(r -> r.name().startsWith("W7 nnlab")).findFirst().orElseThrow();
            assertThat(nnlab.status()).isEqualTo(RunStatus.FINISHED);
            Map<String, String> params = store.runs().params(nnlab.id()).stream()
                    .collect(Collectors.toMap(Param::key, p -> String.valueOf(p.value())));
            assertThat(params).containsEntry("system", "nnlab").containsEntry("version", "1.2.3").containsEntry("commit", "abc123")
                    .containsEntry("machine", "Test CPU 9000 x 2 cores").containsEntry("workload", "W7").containsEntry("threads", "2");
            Map<String, Double> metrics = store.metrics().summaries(nnlab.id()).stream()
                    .collect(Collectors.toMap(MetricSummary::key, MetricSummary::last));
            assertThat(metrics).containsEntry("throughput", 1000.0).containsEntry("wordsim353_spearman", 0.9)
                    .containsEntry("peak_rss_mib", 512.0);
            Run gensim = runs.stream().filter(r -> r.name().startsWith("W7 gensim")).findFirst().orElseThrow();
            assertThat(store.runs().params(gensim.id())).anySatisfy(p -> {
                assertThat(p.key()).isEqualTo("version");
                assertThat(String.valueOf(p.value())).isEqualTo("unknown");
            });
            Run failed = runs.stream().filter(r -> r.name().startsWith("W7 fasttext")).findFirst().orElseThrow();
            assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
            assertThat(failed.error()).contains("boom");
        }
    }

    /** A word-vector side: throughput and the quality keys every side reports in its extra. */
    private Side wordSide(String system, double throughput, double analogy, double wordsim, double simlex) {
        return new Side() {
            @Override public String system() { return system; }
            @Override public String variant() { return null; }
            @Override public Measurement unavailable(Workload w, BenchSettings s, PrintStream l) { return null; }

            @Override
            public Measurement measure(Workload w, BenchSettings s, int round, PrintStream l) {
                return new Measurement(w.id(), system, null, round, Measurement.Status.OK, null, throughput, w.unit(),
                        analogy, w.qualityUnit(), new CpuWindow.Usage(2.0, 3.8, 4.2), 512 * 1024, null, Map.of(),
                        Map.of("analogy_acc", analogy, "analogy_questions", 8322, "wordsim353", wordsim, "simlex999", simlex), null);
            }
        };
    }

    @Test
    void word_vector_workloads_print_the_ratios_then_each_sides_quality_side_by_side() throws Exception {
        BenchHarness h = new BenchHarness(wordSide("nnlab", 1_500_000, 0.155, 0.569, 0.362),
                w -> List.of(wordSide("gensim", 600_000, 0.154, 0.558, 0.354)), new QuietMachine(0), MACHINE, null);
        run(h, List.of(Workload.W6g, Workload.W7g), settings(1, true));
        String table = log.toString();
        assertThat(table.lines().filter(l -> l.contains("W6g") && l.contains("2.50x")).count()).isEqualTo(1);
        assertThat(table.lines().filter(l -> l.contains("W7g") && l.contains("2.50x")).count()).isEqualTo(1);
        assertThat(table.substring(table.indexOf("word-vector quality"))).contains(
                "W6g  nnlab     analogy 15.5% of 8,322 questions, WordSim-353 0.569, SimLex-999 0.362, 1,500,000 words/s",
                "W6g  gensim    analogy 15.4% of 8,322 questions, WordSim-353 0.558, SimLex-999 0.354, 600,000 words/s",
                "W7g  nnlab     analogy 15.5%");
        assertThat(table.indexOf("word-vector quality")).isGreaterThan(table.indexOf("2.50x"));
    }
}
