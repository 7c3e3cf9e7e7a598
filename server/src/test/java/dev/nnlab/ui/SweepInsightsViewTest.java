package dev.nnlab.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnlab.store.Experiment;
import dev.nnlab.store.MetricPoint;
import dev.nnlab.store.NewRun;
import dev.nnlab.store.Observation;
import dev.nnlab.store.Provenance;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sweep page's successive-halving rungs and parameter importance on a synthetic sweep (val_acc
 * follows the learning rate; "noise" is a parameter that does nothing), and the Hessian spectrum of a
 * softmax run really trained with {@code hessian: true}, drawn in the compare view.
 */
class SweepInsightsViewTest extends BrowserPageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    private static long experimentId;
    private static long hessianRun;

    @BeforeAll
    static void startServerAndBrowser() throws Exception {
        server = UiServer.start(dir);
        hessianRun = ArtifactsViewTest.launch("""
                {"name":"hessian","family":"softmax","dataset":"mnist-10k","epochs":1,
                 "params":{"optimizer":"sgd","lr":0.1,"batchSize":64,"logEvery":20,"trainSamples":1000,"hessian":true}}""").getFirst();
        experimentId = syntheticHalving(server.store());
        chromium = new Chromium.Session();
        ArtifactsViewTest.awaitFinished(hessianRun);
    }

    /** 12 rung-0 runs (1 epoch) of a random search over lr and noise, the best 4 again in rung 1 (3 epochs). */
    static long syntheticHalving(Store store) {
        ObjectNode spec = (ObjectNode) read("""
                {"name":"synthetic-halving","family":"softmax","dataset":"spirals",
                 "random":{"trials":12,"seed":1,"params":{"lr":{"logUniform":[1e-4,1.0]},"initStd":{"uniform":[0.001,0.1]}}},
                 "halving":{"metric":"val_acc","keep":0.34,"epochs":[1,3]}}""");
        Experiment e = store.experiments().getOrCreate("synthetic-halving", spec);
        SplittableRandom rng = new SplittableRandom(4);
        record Made(long id, double lr, double noise, double acc) {}
        List<Made> rung0 = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            double lr = Math.pow(10, -4 + 4 * rng.nextDouble()), noise = 0.001 + 0.099 * rng.nextDouble();
            double acc = accuracy(lr, 1);
            rung0.add(new Made(run(store, e, "trial " + i, lr, noise, 1, acc, List.of()), lr, noise, acc));
        }
        rung0.sort((a, b) -> Double.compare(b.acc(), a.acc()));
        for (Made m : rung0.subList(0, 4)) run(store, e, "trial [rung 1]", m.lr(), m.noise(), 3, accuracy(m.lr(), 3), List.of(m.id()));
        return e.id();
    }

    /** Best at lr = 0.03, falling with the squared distance in log10; more epochs help. */
    static double accuracy(double lr, int epochs) {
        double d = Math.log10(lr) - Math.log10(0.03);
        return Math.max(0.1, 0.95 - 0.08 * d * d - 0.05 / epochs);
    }

    private static long run(Store store, Experiment e, String name, double lr, double noise, int epochs, double acc, List<Long> from) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("lr", lr);
        params.put("initStd", noise);
        params.put("epochs", epochs);
        params.put("seed", 1);
        ObjectNode config = JSON.createObjectNode();
        config.put("family", "softmax");
        config.put("dataset", "spirals");
        config.set("params", JSON.valueToTree(params));
        ObjectNode sweep = config.putObject("sweep");
        sweep.put("abortExploding", false);
        sweep.put("rung", epochs == 1 ? 0 : 1);
        sweep.put("rungs", 2);
        sweep.put("metric", "val_acc");
        sweep.set("promotedFrom", JSON.valueToTree(from));
        Provenance prov = new Provenance("softmax", "test", "test", null, 1L, "spirals", null);
        long id = store.runs().create(new NewRun(e.id(), name, "softmax", prov, config, params)).id();
        store.runs().markRunning(id);
        List<Observation> obs = new ArrayList<>();
        for (int ep = 1; ep <= epochs; ep++) {
            obs.add(new MetricPoint(id, "val_acc", 10L * ep, ep, System.currentTimeMillis(), acc - 0.01 * (epochs - ep)));
        }
        store.metrics().append(obs);
        store.runs().finish(id, RunStatus.FINISHED, null);
        return id;
    }

    private static com.fasterxml.jackson.databind.JsonNode read(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Test
    void the_sweep_page_shows_each_rung_with_the_runs_it_promoted() {
        page.navigate(server.page("#/sweep?experiment=" + experimentId + "&metric=val_acc"));
        page.waitForFunction("() => document.querySelectorAll('#rungs-panel .rung').length === 2");

        assertThat(page.locator("#rungs-panel .rung[data-rung='0'] tbody tr").count()).isEqualTo(12);
        assertThat(page.locator("#rungs-panel .rung[data-rung='0'] tr[data-promoted='true']").count()).isEqualTo(4);
        assertThat(page.locator("#rungs-panel .rung[data-rung='1'] tbody tr").count()).isEqualTo(4);
        assertThat(page.locator("#rungs-panel .rung[data-rung='1'] h4").textContent()).contains("Rung 1").contains("3 epoch(s)");
        assertThat(page.locator("#rungs-panel .panel-head").textContent()).contains("best 34% by val_acc");
        // Best first: the first four rows of rung 0 are the promoted ones.
        assertThat(page.evaluate("() => [...document.querySelectorAll(\"#rungs-panel .rung[data-rung='0'] tbody tr\")]"
                + ".slice(0, 4).every(tr => tr.dataset.promoted === 'true')")).isEqualTo(true);
    }

    @Test
    void importance_ranks_the_parameter_that_drives_the_metric_above_the_noise() {
        page.navigate(server.page("#/sweep?experiment=" + experimentId + "&metric=val_acc"));
        page.waitForFunction("() => document.querySelector('#importance-table tr[data-param=lr]') !== null"
                + " && window.nnlab.charts.importance !== undefined");

        double lr = Double.parseDouble(page.locator("#importance-table tr[data-param=lr] td[data-importance]").getAttribute("data-importance"));
        double noise = Double.parseDouble(page.locator("#importance-table tr[data-param=initStd] td[data-importance]").getAttribute("data-importance"));
        assertThat(lr).isGreaterThan(0.6);
        assertThat(noise).isLessThan(0.2);
        assertThat(page.locator("#importance-table tr[data-param=lr] td").first().textContent()).isEqualTo("lr (log)");
        assertThat(page.locator("#importance-note").textContent()).contains("16 finished run(s) with val_acc (last)");

        // Another summary asks the server again.
        page.locator("#sweep-summary").selectOption("best");
        page.waitForFunction("() => document.querySelector('#importance-note').textContent.includes('val_acc (best)')");
    }

    @Test
    void the_compare_view_draws_the_hessian_spectrum_of_a_run_trained_with_it() {
        page.navigate(server.page("#/compare?ids=" + hessianRun));
        page.waitForFunction("() => document.querySelector('#artifacts .hessian-spectrum canvas') !== null");

        var box = page.locator("#artifacts .hessian-spectrum");
        assertThat(Integer.parseInt(box.getAttribute("data-count"))).isBetween(2, 30);
        assertThat(Double.parseDouble(box.getAttribute("data-max"))).isPositive();
        // Softmax regression is convex: no eigenvalue below the tolerance.
        assertThat(Double.parseDouble(box.getAttribute("data-negative-share"))).isZero();
        assertThat(box.textContent()).contains("largest eigenvalues").contains("negative share 0.0%");
    }
}
