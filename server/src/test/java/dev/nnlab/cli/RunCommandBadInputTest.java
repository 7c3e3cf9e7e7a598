package dev.nnlab.cli;

import dev.nnlab.host.PluginJars;
import dev.nnlab.store.RunQuery;
import dev.nnlab.store.Store;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Every kind of bad spec: exit 2, a message naming the file, the JSON path, the value and what is allowed; nothing recorded. */
class RunCommandBadInputTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown family      | {"name":"x","family":"cnn9","dataset":"spirals"}                                        | $.family           | cnn9        | mlp
            unknown dataset     | {"name":"x","family":"mlp","dataset":"imagenet"}                                         | $.dataset          | imagenet    | mnist-10k
            unavailable dataset | {"name":"x","family":"mlp","dataset":"mnist"}                                            | $.dataset          | mnist       | data get mnist
            unknown parameter   | {"name":"x","family":"mlp","dataset":"spirals","params":{"learning_rate":0.1}}           | $.params.learning_rate | learning_rate | lr
            wrong type          | {"name":"x","family":"mlp","dataset":"spirals","params":{"lr":"fast"}}                   | $.params.lr        | "fast"      | a number
            lr not positive     | {"name":"x","family":"mlp","dataset":"spirals","params":{"lr":0}}                        | $.params.lr        | 0           | > 0
            negative lr in grid | {"name":"x","family":"mlp","dataset":"spirals","grid":{"lr":[0.1,-1]}}                   | $.grid.lr[1]       | -1          | > 0
            dropout of 1        | {"name":"x","family":"mlp","dataset":"spirals","params":{"dropout":1}}                   | $.params.dropout   | 1           | < 1
            batch size 0        | {"name":"x","family":"mlp","dataset":"spirals","params":{"batchSize":0}}                 | $.params.batchSize | 0           | >= 1
            empty grid list     | {"name":"x","family":"mlp","dataset":"spirals","grid":{"lr":[]}}                         | $.grid.lr          | empty       | at least one
            unknown activation  | {"name":"x","family":"mlp","dataset":"spirals","params":{"activation":"swish"}}          | $.params.activation | "swish"    | leaky_relu
            kind not accepted   | {"name":"x","family":"mlp","dataset":"word-groups"}                                      | $.dataset          | TEXT_CORPUS | accepts [VECTOR, IMAGE]
            too many samples    | {"name":"x","family":"mlp","dataset":"spirals","params":{"trainSamples":5000}}           | $.dataset          | trainSamples = 5000 | use at most
            cnn window misfit   | {"name":"x","family":"cnn","dataset":"mnist-10k","params":{"layers":"conv3x3x8s2,relu,fc10"}} | $.params.layers | "conv3x3x8s2,relu,fc10" | conv0: H 28 does not fit kernel 3, stride 2, padding 0: (H - F + 2P) / S + 1 = (28 - 3 + 0) / 2 + 1 = 13.5, which must be a positive integer
            cnn unknown layer   | {"name":"x","family":"cnn","dataset":"mnist-10k","params":{"layers":"conv3x3x8p1,swish,fc10"}} | $.params.layers | "conv3x3x8p1,swish,fc10" | layer 1 "swish" is an unknown layer
            cnn misfit in grid  | {"name":"x","family":"cnn","dataset":"mnist-10k","grid":{"layers":["w3","conv5x5x8,maxpool5,fc10"]}} | $.params.layers | "conv5x5x8,maxpool5,fc10" | maxpool1: H 24 does not fit kernel 5, stride 5
            malformed JSON      | {"name":"x","family":"mlp",                                                              | $                  | malformed   | line 1
            """)
    void a_bad_spec_exits_2_naming_file_path_value_and_what_is_allowed(String what, String json, String path, String value,
                                                                          String allowed, @TempDir Path dir) throws Exception {
        Path spec = Files.writeString(dir.resolve("bad-spec.json"), json);
        Path db = dir.resolve("store.db");
        CliRun r = CliRun.of("run", spec.toString(), "--db", db.toString(), "--plugins", PluginJars.builtInPlugins().toString(),
                "--data-dir", dir.resolve("empty-data").toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("bad-spec.json").contains(path + ":").contains(value).contains(allowed);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        if (Files.exists(db)) {
            try (Store store = Store.open(db)) {
                assertThat(store.runs().list(RunQuery.all())).isEmpty();
                assertThat(store.experiments().list()).isEmpty();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing file     | run /nonexistent/spec.json                  | no such file
            parallel zero    | run SPEC --parallel 0                       | --parallel
            """)
    void bad_arguments_exit_2(String what, String args, String message, @TempDir Path dir) throws Exception {
        Path spec = Files.writeString(dir.resolve("ok.json"), "{\"name\":\"x\",\"family\":\"mlp\",\"dataset\":\"spirals\"}");
        String[] argv = (args.replace("SPEC", spec.toString()) + " --db " + dir.resolve("s.db")).split(" ");
        CliRun r = CliRun.of(argv);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains(message);
    }
}
