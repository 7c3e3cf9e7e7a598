package dev.nnlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnlab.http.ApiServer;
import dev.nnlab.runs.Workbench;
import dev.nnlab.store.Experiment;
import dev.nnlab.store.LayerStat;
import dev.nnlab.store.MetricPoint;
import dev.nnlab.store.MetricWriter;
import dev.nnlab.store.NewRun;
import dev.nnlab.store.Provenance;
import dev.nnlab.store.RunEvent;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run reads the same in the terminal and in the browser: {@code runs ls/show/export} and the HTTP
 * API give the same values for a run full of awkward text and numbers, because both read through
 * the same services and write CSV with the same writer.
 */
class OneReadPathTest {
    static final String NAME = "lr=0.1, \"quoted\"\nsecond line \u00fc\u00df \u65e5\u672c \ud83d\ude00";
    static final String KEY = "val,loss \"x\"\n\u00e9";

    @Test
    void a_run_with_commas_quotes_newlines_nan_and_unicode_reads_the_same_from_the_cli_and_the_api(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("nnlab.db");
        long id;
        try (Store store = Store.open(db)) {
            Experiment e = store.experiments().getOrCreate("awkward, \"names\"", null);
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("optimizer", "ad,am \"x\"\n\u00fc");
            params.put("lr", 0.0001);
            params.put("hidden", List.of(128, 64));
            params.put("nesterov", true);
            id = store.runs().create(new NewRun(e.id(), NAME, "mlp", new Provenance("mlp", "1", "t", "abc", 3L, "spirals", "sha:1"),
                    new ObjectMapper().readTree("{\"family\":\"mlp\",\"note\":\"a,b\\n\\\"c\\\"\"}"), params)).id();
            store.runs().markRunning(id);
            try (MetricWriter w = store.newMetricWriter()) {
                w.write(new MetricPoint(id, KEY, 1, 0.5, 1000, 0.25));
                w.write(new MetricPoint(id, KEY, 2, 1.0, 1001, Double.NaN));
                w.write(new MetricPoint(id, "train_loss", 1, 0.5, 1000, 1e-300));
                w.write(new MetricPoint(id, "train_loss", 2, 1.0, 1002, 123456.789));
                w.write(new LayerStat(id, 2, "dense,0", "dead_fraction", Double.NaN));
                w.write(new RunEvent(id, 2, RunEvent.Level.WARNING, "dead_relu", "50% of \"dense,0\"\nis dead", "try \u00fc", 1003));
            }
            store.runs().finish(id, RunStatus.DIVERGED, "loss, \"NaN\"\nat step 2");
        }

        ObjectMapper json = new ObjectMapper();
        try (Workbench wb = Workbench.open(db, dir.resolve("no-plugins"), dir.resolve("data"), "test", null);
             ApiServer server = ApiServer.start(wb, ApiServer.Options.defaults().withPort(0))) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port();

            // runs ls --format json: exactly the API's RunRow.
            JsonNode apiList = json.readTree(get(http, base + "/api/runs")).get("runs");
            JsonNode cliList = json.readTree(cli(db, "runs", "ls", "--format", "json").out());
            assertThat(cliList).isEqualTo(apiList);
            assertThat(cliList.get(0).get("name").asText()).isEqualTo(NAME);
            assertThat(cliList.get(0).at("/metrics/" + KEY.replace("~", "~0").replace("/", "~1") + "/last").isNull()).isTrue();

            // runs show --format json: the API's run detail, plus its layer statistics and events.
            JsonNode apiRun = json.readTree(get(http, base + "/api/runs/" + id));
            ObjectNode cliRun = (ObjectNode) json.readTree(cli(db, "runs", "show", String.valueOf(id), "--format", "json").out());
            assertThat(cliRun.remove("events")).isEqualTo(json.readTree(get(http, base + "/api/runs/" + id + "/events")));
            assertThat(cliRun.remove("artifacts")).isEqualTo(json.readTree(get(http, base + "/api/runs/" + id + "/artifacts")));
            assertThat(cliRun.remove("layerStats")).isEqualTo(json.readTree(get(http, base + "/api/runs/" + id + "/layers")).get("latest"));
            assertThat(cliRun).isEqualTo(apiRun);
            assertThat(cliRun.get("error").asText()).isEqualTo("loss, \"NaN\"\nat step 2");

            // runs export --format csv: byte for byte the API's download, one CSV writer for both.
            String apiCsv = get(http, base + "/api/runs/" + id + "/metrics.csv");
            String cliCsv = cli(db, "runs", "export", "--format", "csv", "--filter", "id = " + id).out();
            assertThat(cliCsv).isEqualTo(apiCsv);
            assertThat(apiCsv).contains("\"" + KEY.replace("\"", "\"\"") + "\"").contains(",NaN\n").contains(",1.0E-300\n");

            // And the text views show the values, not escapes.
            String shown = cli(db, "runs", "show", String.valueOf(id)).out();
            assertThat(shown).contains("ad,am \"x\"").contains("0.0001").contains("[128,64]").contains("DIVERGED");
        }
    }

    private static CliRun cli(Path db, String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--db";
        all[args.length + 1] = db.toString();
        all[args.length + 2] = "--plugins";
        all[args.length + 3] = db.resolveSibling("no-plugins").toString();
        CliRun r = CliRun.of(all);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r;
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }
}
