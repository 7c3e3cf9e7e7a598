package dev.nnlab.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nnlab.host.PluginJars;
import dev.nnlab.optim.Checkpoint;
import dev.nnlab.store.Backend;
import dev.nnlab.store.Experiment;
import dev.nnlab.store.NewRun;
import dev.nnlab.store.Provenance;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.nnlab.http.TestServer.is;
import static dev.nnlab.http.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code GET /api/runs/{id}/artifacts[/{name}]} over a real server, for stored files and for a real softmax run. */
@ParameterizedClass
@EnumSource(Backend.class)
class ArtifactsApiTest {
    /** Which database this invocation runs on (the servers start per invocation, below). */
    @Parameter
    Backend backend;
    static final String ODD_NAME = "weights (epoch 3) é.txt";

    @TempDir
    static Path dir;
    static TestServer t;
    static long run, empty;

    @BeforeParameterizedClassInvocation
    static void start(Backend backend) {
        t = TestServer.start(backend, dir, PluginJars.builtInPlugins(), TestServer.fastOptions());
        Store store = t.wb.store();
        Experiment e = store.experiments().getOrCreate("files", null);
        run = store.runs().create(new NewRun(e.id(), "with files", "mlp", Provenance.UNKNOWN, null, Map.of())).id();
        empty = store.runs().create(new NewRun(e.id(), "without", "mlp", Provenance.UNKNOWN, null, Map.of())).id();
        store.artifacts().put(run, "report.txt", "text/plain; charset=utf-8", "héllo".getBytes(StandardCharsets.UTF_8));
        store.artifacts().put(run, ODD_NAME, "text/plain", "odd".getBytes(StandardCharsets.UTF_8));
        store.artifacts().put(run, "page.html", "text/html", "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8));
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        t.close();
    }

    @Test
    void the_list_gives_name_media_type_size_hash_and_url_by_name() {
        HttpResponse<String> r = t.get("/api/runs/" + run + "/artifacts");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode list = json(r);
        assertThat(list).hasSize(3);
        JsonNode report = list.get(1);
        assertThat(report.get("name").asText()).isEqualTo("report.txt");
        assertThat(report.get("mediaType").asText()).isEqualTo("text/plain; charset=utf-8");
        assertThat(report.get("size").asLong()).isEqualTo(6); // é is two bytes
        assertThat(report.get("sha256").asText()).hasSize(64);
        assertThat(report.get("url").asText()).isEqualTo("/api/runs/" + run + "/artifacts/report.txt");
        assertThat(list.get(2).get("url").asText()).isEqualTo("/api/runs/" + run + "/artifacts/weights%20%28epoch%203%29%20%C3%A9.txt");
        assertThat(json(t.get("/api/runs/" + empty + "/artifacts"))).isEmpty();
    }

    @Test
    void a_download_streams_the_bytes_with_its_media_type_as_an_attachment_never_sniffed() {
        HttpResponse<String> r = t.get("/api/runs/" + run + "/artifacts/report.txt");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("héllo");
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(r.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"report.txt\"; filename*=UTF-8''report.txt");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");

        HttpResponse<String> html = t.get("/api/runs/" + run + "/artifacts/page.html");
        assertThat(html.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("sandbox"));
        assertThat(html.headers().firstValue("Content-Disposition")).hasValueSatisfying(v -> assertThat(v).startsWith("attachment"));
    }

    @Test
    void the_url_of_a_name_with_spaces_and_accents_fetches_it() {
        String url = json(t.get("/api/runs/" + run + "/artifacts")).get(2).get("url").asText();
        HttpResponse<String> r = t.get(url);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("odd");
        assertThat(r.headers().firstValue("Content-Disposition"))
                .contains("attachment; filename=\"weights (epoch 3) _.txt\"; filename*=UTF-8''weights%20%28epoch%203%29%20%C3%A9.txt");
    }

    @Test
    void unknown_runs_and_names_are_json_404s() {
        HttpResponse<String> name = t.get("/api/runs/" + run + "/artifacts/nope.png");
        assertThat(name.statusCode()).isEqualTo(404);
        assertThat(json(name).get("error").asText()).isEqualTo("not_found");
        assertThat(json(name).get("message").asText()).contains("no artifact \"nope.png\"", "report.txt");

        HttpResponse<String> missingRun = t.get("/api/runs/424242/artifacts");
        assertThat(missingRun.statusCode()).isEqualTo(404);
        assertThat(json(missingRun).get("message").asText()).isEqualTo("no run 424242");
        assertThat(t.get("/api/runs/424242/artifacts/report.txt").statusCode()).isEqualTo(404);
        assertThat(t.get("/api/runs/abc/artifacts").statusCode()).isEqualTo(400);
    }

    @Test
    void a_real_softmax_run_serves_its_confusion_matrix_templates_and_checkpoint() throws Exception {
        HttpResponse<String> launched = t.post("/api/runs", """
                {"name":"softmax-artifacts","family":"softmax","dataset":"mnist-10k","epochs":1,
                 "params":{"optimizer":"momentum","lr":0.01,"batchSize":128,"logEvery":20}}""");
        assertThat(launched.statusCode()).as(launched.body()).isEqualTo(202);
        long id = json(launched).get("runIds").get(0).asLong();
        JsonNode done = t.awaitRun(id, is(RunStatus.FINISHED), 120);

        List<String> names = new ArrayList<>();
        json(t.get("/api/runs/" + id + "/artifacts")).forEach(a -> names.add(a.get("name").asText()));
        assertThat(names).containsExactly("confusion_matrix.json", "final_weights.ckpt", "weight_templates.png");

        JsonNode cm = json(t.get("/api/runs/" + id + "/artifacts/confusion_matrix.json"));
        assertThat(cm.get("classes")).hasSize(10);
        long total = 0, diagonal = 0;
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j < 10; j++) total += cm.get("counts").get(i).get(j).asLong();
            diagonal += cm.get("counts").get(i).get(i).asLong();
        }
        assertThat(total).isEqualTo(cm.get("total").asLong()).isPositive();
        assertThat((double) diagonal / total).isCloseTo(done.at("/metrics/test_acc/last").asDouble(), within(1e-9));

        HttpResponse<byte[]> png = t.http.send(t.request("/api/runs/" + id + "/artifacts/weight_templates.png").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(png.headers().firstValue("Content-Type")).contains("image/png");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png.body()));
        assertThat(img.getWidth()).isEqualTo(10 * 56 + 11 * 2);

        HttpResponse<byte[]> ckpt = t.http.send(t.request("/api/runs/" + id + "/artifacts/final_weights.ckpt").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        Path file = Files.write(dir.resolve("final.ckpt"), ckpt.body());
        assertThat(Checkpoint.readMetadata(file)).containsEntry(Checkpoint.EPOCH, 1L);
    }

    @Test
    void deleting_a_run_removes_its_artifacts_from_the_api_and_the_disk() throws IOException {
        Store store = t.wb.store();
        Experiment e = store.experiments().getOrCreate("files", null);
        long doomed = store.runs().create(new NewRun(e.id(), "doomed", "mlp", Provenance.UNKNOWN, null, Map.of())).id();
        store.runs().markRunning(doomed);
        store.runs().finish(doomed, RunStatus.FINISHED, null);
        Path file = store.artifacts().file(store.artifacts().put(doomed, "only-mine.bin", "application/octet-stream",
                "unique to the doomed run".getBytes(StandardCharsets.UTF_8)));
        assertThat(file).exists();

        assertThat(t.delete("/api/runs/" + doomed).statusCode()).isEqualTo(204);
        assertThat(t.get("/api/runs/" + doomed + "/artifacts").statusCode()).isEqualTo(404);
        assertThat(file).doesNotExist();
    }
}
