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

/** Issue 12's bad input for word2vec on the command line: exit 2 with the value and what is allowed, nothing recorded. */
class Word2VecBadInputCliTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            empty vocabulary after minCount | few  | {"minCount": 4}                      | $.params         | minCount=4 leaves an empty vocabulary
            window of 0                     | few  | {"minCount": 1, "window": 0}         | $.params.window  | >= 1
            corpus smaller than the window  | tiny | {"minCount": 1, "window": 5}         | window=5         | allowed: a window below 3
            analogy file of unknown format  | few  | {"minCount": 1, "window": 2, "analogy": "PAIRS"} | $.params.analogy | questions-words.txt
            """)
    void bad_word2vec_input_exits_2_and_records_nothing(String what, String file, String params, String path, String allowed,
                                                        @TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve(file + ".txt"), file.equals("few") ? "a b a c a d\n" : "the cat sat\n");
        Path pairs = Files.writeString(dir.resolve("pairs.csv"), ": section\nman king woman queen\nman,king,woman,queen\n");
        String json = "{\"name\":\"x\",\"family\":\"word2vec\",\"dataset\":\"text:" + text.toString().replace("\\", "\\\\")
                + "\",\"params\":" + params.replace("PAIRS", pairs.toString().replace("\\", "\\\\")) + "}";
        Path spec = Files.writeString(dir.resolve("bad-w2v.json"), json);
        Path db = dir.resolve("store.db");
        CliRun r = CliRun.of("run", spec.toString(), "--db", db.toString(), "--plugins", PluginJars.builtInPlugins().toString(),
                "--data-dir", dir.resolve("empty-data").toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).as(what).contains("bad-w2v.json").contains(path).contains(allowed);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        if (Files.exists(db)) {
            try (Store store = Store.open(db)) {
                assertThat(store.runs().list(RunQuery.all())).isEmpty();
            }
        }
    }
}
