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

/** The language-model family's bad input: exit 2 with the value and what is allowed, nothing recorded. */
class LanguageModelBadInputTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            corpus shorter than one window | text  | short  | {"bptt": 20, "batchSize": 4}   | $.params  | bptt = 20
            empty vocabulary               | text  | empty  | {}                              | $.dataset | holds no text
            vocabulary of specials only    | text  | short  | {"vocabSize": 2}                | $.dataset | nothing but <unk> and <eos>
            binary file as characters      | chars | binary | {}                              | $.dataset | NUL byte at offset 2
            window length 0                | text  | short  | {"bptt": 0}                     | $.params.bptt | >= 1
            """)
    void bad_language_model_input_exits_2_and_records_nothing(String what, String prefix, String file, String params, String path,
                                                              String allowed, @TempDir Path dir) throws Exception {
        Path text = dir.resolve(file + ".txt");
        switch (file) {
            case "short" -> Files.writeString(text, "the cat sat on the mat\nthe dog sat on the log\n");
            case "empty" -> Files.writeString(text, "");
            default -> Files.write(text, new byte[] {'a', 'b', 0, (byte) 0xFF, (byte) 0xFE, 1, 2, 3});
        }
        String json = "{\"name\":\"x\",\"family\":\"lstm\",\"dataset\":\"" + prefix + ":" + text.toString().replace("\\", "\\\\")
                + "\",\"params\":" + params + "}";
        Path spec = Files.writeString(dir.resolve("bad-lm.json"), json);
        Path db = dir.resolve("store.db");
        CliRun r = CliRun.of("run", spec.toString(), "--db", db.toString(), "--plugins", PluginJars.builtInPlugins().toString(),
                "--data-dir", dir.resolve("empty-data").toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("bad-lm.json").contains(path + ":").contains(allowed);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        if (Files.exists(db)) {
            try (Store store = Store.open(db)) {
                assertThat(store.runs().list(RunQuery.all())).isEmpty();
            }
        }
    }
}
