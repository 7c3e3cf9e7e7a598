package dev.nnlab.http;

import dev.nnlab.host.PluginJars;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server bound off loopback takes requests from the network: {@code text:FILE} and {@code chars:FILE}
 * may then name only files inside its data directory (symbolic links resolved), else 400 and nothing
 * recorded. On loopback (every other test server) a user's file anywhere is accepted.
 */
class UserFilesOffLoopbackApiTest {
    static final String TOKEN = "files-token";
    @TempDir
    static Path dir;
    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        t = TestServer.start(dir, PluginJars.builtInPlugins(), TestServer.fastOptions().withHost("0.0.0.0").withToken(TOKEN));
        Files.createDirectories(dir.resolve("data"));
        String text = "the cat sat on the mat\nthe dog sat on the log\n".repeat(200);
        Files.writeString(dir.resolve("outside.txt"), text);
        Files.writeString(dir.resolve("data").resolve("inside.txt"), text);
        Files.createSymbolicLink(dir.resolve("data").resolve("link.txt"), dir.resolve("outside.txt"));
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    private static String spec(String dataset) {
        return "{\"name\":\"files\",\"family\":\"lstm\",\"dataset\":\"" + dataset.replace("\\", "\\\\") + "\",\"epochs\":1,"
                + "\"params\":{\"hidden\":8,\"embedding\":8,\"layers\":1,\"bptt\":5,\"batchSize\":4,\"logEvery\":5}}";
    }

    @Test
    void a_file_outside_the_data_directory_or_linked_from_inside_it_is_400_and_nothing_is_recorded() throws Exception {
        for (String dataset : new String[] {"text:" + dir.resolve("outside.txt"), "chars:" + dir.resolve("outside.txt"),
                "text:" + dir.resolve("data").resolve("link.txt"), "text:/etc/hostname", "text:" + dir.resolve("data").resolve("../outside.txt")}) {
            long before = SchemaQueries.count(dir.resolve("nnlab.db"), "runs");
            HttpResponse<String> r = t.post("/api/runs", spec(dataset));
            assertThat(r.statusCode()).as(dataset + ": " + r.body()).isEqualTo(400);
            assertThat(TestServer.json(r).get("message").asText()).as(dataset)
                    .contains("outside the data directory").contains("not bound to loopback").contains("$.dataset");
            assertThat(SchemaQueries.count(dir.resolve("nnlab.db"), "runs")).as("nothing recorded").isEqualTo(before);
        }
    }

    @Test
    void a_file_inside_the_data_directory_is_accepted() throws Exception {
        HttpResponse<String> r = t.post("/api/runs", spec("text:" + dir.resolve("data").resolve("inside.txt")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        long id = TestServer.json(r).get("runIds").get(0).asLong();
        assertThat(TestServer.json(t.get("/api/runs/" + id)).toString()).contains("inside.txt");
    }
}
