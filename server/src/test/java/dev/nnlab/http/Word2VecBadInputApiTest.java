package dev.nnlab.http;

import dev.nnlab.host.PluginJars;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12's bad input for word2vec through {@code POST /api/runs}: 400 naming the field, the value
 * and what is allowed, and no run recorded (the HTTP twin of {@code Word2VecBadInputCliTest}; the
 * unknown query word is {@code EmbeddingProjectorTest}'s).
 */
class Word2VecBadInputApiTest {
    @TempDir
    static Path dir;
    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        t = TestServer.start(dir, PluginJars.builtInPlugins(), TestServer.fastOptions());
        Files.writeString(dir.resolve("few.txt"), "a b a c a d\n");
        Files.writeString(dir.resolve("tiny.txt"), "the cat sat\n");
        Files.writeString(dir.resolve("pairs.csv"), ": section\nman king woman queen\nman,king,woman,queen\n");
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            empty vocabulary after minCount | text:few  | {"minCount": 4}                      | $.params         | minCount=4 leaves an empty vocabulary
            window of 0                     | text:few  | {"minCount": 1, "window": 0}         | $.params.window  | >= 1
            corpus smaller than the window  | text:tiny | {"minCount": 1, "window": 5}         | window=5         | allowed: a window below 3
            analogy file of unknown format  | text:few  | {"minCount": 1, "window": 2, "analogy": "PAIRS"} | $.params.analogy | questions-words.txt
            """)
    void bad_word2vec_input_is_400_and_records_nothing(String what, String dataset, String params, String path, String allowed)
            throws Exception {
        String name = "text:" + dir.resolve(dataset.substring(5) + ".txt").toString().replace("\\", "\\\\");
        String spec = "{\"name\":\"bad-w2v\",\"family\":\"word2vec\",\"dataset\":\"" + name + "\",\"epochs\":1,\"params\":"
                + params.replace("PAIRS", dir.resolve("pairs.csv").toString().replace("\\", "\\\\")) + "}";
        long before = SchemaQueries.count(dir.resolve("nnlab.db"), "runs");
        HttpResponse<String> r = t.post("/api/runs", spec);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        String message = TestServer.json(r).get("message").asText();
        assertThat(message).as(what).contains(path).contains(allowed);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(SchemaQueries.count(dir.resolve("nnlab.db"), "runs")).as("nothing recorded").isEqualTo(before);
    }
}
