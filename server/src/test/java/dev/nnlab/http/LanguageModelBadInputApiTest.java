package dev.nnlab.http;

import dev.nnlab.host.PluginJars;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The language-model family's bad input through {@code POST /api/runs}: 400 naming the field, the value
 * and what is allowed, and no run recorded (the HTTP twin of {@code LanguageModelBadInputTest}).
 */
class LanguageModelBadInputApiTest {
    @TempDir
    static Path dir;
    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        t = TestServer.start(dir, PluginJars.builtInPlugins(), TestServer.fastOptions());
        Files.writeString(dir.resolve("short.txt"), "the cat sat on the mat\nthe dog sat on the log\n");
        Files.writeString(dir.resolve("empty.txt"), "");
        Files.write(dir.resolve("binary.txt"), new byte[] {'a', 'b', 0, (byte) 0xFF, (byte) 0xFE, 1, 2, 3});
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            corpus shorter than one window | text:short  | {"bptt": 20, "batchSize": 4}          | $.params      | bptt = 20
            empty vocabulary               | text:empty  | {}                                     | $.dataset     | holds no text
            binary file as characters      | chars:binary| {}                                     | $.dataset     | NUL byte at offset 2
            window length 0                | text:short  | {"bptt": 0}                            | $.params.bptt | >= 1
            sequence length 0              | adding      | {"taskLength": 0}                      | $.params.taskLength | 0
            """)
    void bad_language_model_input_is_400_and_records_nothing(String what, String dataset, String params, String path, String allowed)
            throws Exception {
        String[] p = dataset.split(":");
        String name = p.length == 1 ? dataset : p[0] + ":" + dir.resolve(p[1] + ".txt").toString().replace("\\", "\\\\");
        String spec = "{\"name\":\"bad-lm\",\"family\":\"lstm\",\"dataset\":\"" + name + "\",\"epochs\":1,\"params\":" + params + "}";
        long before = SchemaQueries.count(dir.resolve("nnlab.db"), "runs");
        HttpResponse<String> r = t.post("/api/runs", spec);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        String message = TestServer.json(r).get("message").asText();
        assertThat(message).as(what).contains(path).contains(allowed);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(SchemaQueries.count(dir.resolve("nnlab.db"), "runs")).as("nothing recorded").isEqualTo(before);
    }

    @Test
    void on_loopback_a_users_file_outside_the_data_directory_is_accepted() throws Exception {
        String spec = "{\"name\":\"ok-lm\",\"family\":\"lstm\",\"dataset\":\"text:" + dir.resolve("short.txt").toString().replace("\\", "\\\\")
                + "\",\"epochs\":1,\"params\":{\"bptt\":2,\"batchSize\":2,\"hidden\":4,\"embedding\":4,\"layers\":1}}";
        HttpResponse<String> r = t.post("/api/runs", spec);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }
}
