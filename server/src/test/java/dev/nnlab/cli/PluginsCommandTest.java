package dev.nnlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class PluginsCommandTest {
    /** Maven runs the tests in server/; `./nnlab build` writes the built-in plugin JARs to the top-level plugins/. */
    static final Path BUILT_PLUGINS = Path.of("..", "plugins");

    @TempDir
    Path dir;

    @Test
    void table_lists_both_built_in_families_with_their_parameter_schemas() {
        CliRun r = CliRun.of("plugins", "--plugins", BUILT_PLUGINS.toString());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).containsPattern("mlp\\s+Multilayer perceptron\\s+\\S+\\s+vector, image\\s+nnlab-mlp\\.jar")
                .containsPattern("softmax\\s+Softmax regression\\s+\\S+\\s+vector, image\\s+nnlab-softmax\\.jar")
                .containsPattern("param\\s+type\\s+default\\s+allowed\\s+description")
                .containsPattern("lr\\s+FLOAT\\s+0\\.01\\s+a number > 0 and <= 100 \\(log scale\\)\\s+Base learning rate\\.")
                .containsPattern("hidden\\s+INT_LIST\\s+\\[100]")
                .contains("load failures: none");
    }

    @Test
    void json_holds_each_family_with_kinds_and_typed_schema() throws Exception {
        CliRun r = CliRun.of("plugins", "--plugins", BUILT_PLUGINS.toString(), "--format", "json");

        JsonNode root = new ObjectMapper().readTree(r.out());
        List<String> ids = new ArrayList<>();
        for (JsonNode f : root.get("families")) ids.add(f.get("id").asText());
        assertThat(ids).containsExactlyInAnyOrder("lstm", "mlp", "softmax", "cnn", "resnet", "word2vec");
        JsonNode layers = param(family(root, "cnn"), "layers");
        assertThat(layers.get("type").asText()).isEqualTo("STRING");
        assertThat(layers.get("default").asText()).isEqualTo("w3");
        assertThat(family(root, "resnet").get("dataKinds").toString()).contains("IMAGE").doesNotContain("VECTOR");
        JsonNode mlp = family(root, "mlp");
        assertThat(mlp.get("jar").asText()).endsWith("nnlab-mlp.jar");
        assertThat(mlp.get("dataKinds").toString()).contains("VECTOR").contains("IMAGE");
        JsonNode activation = param(mlp, "activation");
        assertThat(activation.get("type").asText()).isEqualTo("CHOICE");
        assertThat(activation.get("choices").toString()).contains("\"relu\"").contains("\"sigmoid\"");
        JsonNode lr = param(family(root, "softmax"), "lr");
        assertThat(lr.get("type").asText()).isEqualTo("FLOAT");
        assertThat(lr.get("logScale").asBoolean()).isTrue();
        assertThat(lr.get("min").asDouble()).isEqualTo(0.0);
        assertThat(lr.get("minInclusive").asBoolean()).isFalse();
        assertThat(lr.get("description").asText()).isNotBlank();
        assertThat(root.get("failures")).isEmpty();
    }

    private static JsonNode family(JsonNode root, String id) {
        for (JsonNode f : root.get("families")) if (f.get("id").asText().equals(id)) return f;
        throw new AssertionError("no family " + id);
    }

    private static JsonNode param(JsonNode family, String name) {
        for (JsonNode p : family.get("params")) if (p.get("name").asText().equals(name)) return p;
        throw new AssertionError("no param " + name);
    }

    @Test
    void a_jar_without_a_services_file_is_listed_as_a_load_failure_with_the_reason() throws Exception {
        Path bogus = dir.resolve("bogus.jar");
        try (OutputStream file = Files.newOutputStream(bogus); ZipOutputStream zip = new ZipOutputStream(file)) {
            zip.putNextEntry(new ZipEntry("readme.txt"));
            zip.write("not a plugin".getBytes());
            zip.closeEntry();
        }

        CliRun table = CliRun.of("plugins", "--plugins", dir.toString());
        CliRun json = CliRun.of("plugins", "--plugins", dir.toString(), "--format", "json");

        assertThat(table.exitCode()).isEqualTo(0);
        assertThat(table.out()).contains("no model families loaded").contains("load failures:")
                .containsPattern("bogus\\.jar\\s+provides no model family: the JAR has no META-INF/services/dev\\.nnlab\\.spi\\.ModelFamily entry");
        JsonNode failure = new ObjectMapper().readTree(json.out()).get("failures").get(0);
        assertThat(failure.get("jar").asText()).endsWith("bogus.jar");
        assertThat(failure.get("reason").asText()).startsWith("provides no model family");
    }

    @Test
    void a_users_plugins_folder_adds_to_the_built_in_families_instead_of_replacing_them() throws Exception {
        dev.nnlab.host.PluginJars.build(dir.resolve("mine.jar"), "org.example", "Mine", dev.nnlab.host.PluginJars.family(
                "org.example", "Mine", "mine", "PluginApi.VERSION", "return TrainResult.finished();"), true);
        String before = System.getProperty("nnlab.home");
        System.setProperty("nnlab.home", dev.nnlab.host.PluginJars.checkoutRoot().toString());
        try {
            JsonNode root = new ObjectMapper().readTree(CliRun.of("plugins", "--plugins", dir.toString(), "--format", "json").out());
            List<String> ids = new ArrayList<>();
            for (JsonNode f : root.get("families")) ids.add(f.get("id").asText());
            assertThat(ids).contains("mlp", "softmax", "mine");
            assertThat(root.get("directories")).hasSize(2);
            assertThat(family(root, "mine").get("sha256").asText()).hasSize(64);
            assertThat(root.get("failures")).isEmpty();

            CliRun help = CliRun.of("--help");
            assertThat(help.out()).contains("with --plugins DIR, also from DIR").contains("./nnlab plugin-sdk").contains("built-in one wins");
        } finally {
            if (before == null) System.clearProperty("nnlab.home");
            else System.setProperty("nnlab.home", before);
        }
    }
}
