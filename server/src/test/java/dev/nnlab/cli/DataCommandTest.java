package dev.nnlab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DataCommandTest {

    @TempDir
    Path dataDir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void ls_shows_the_bundled_set_available_and_mnist_missing_with_how_to_get_it() {
        assertThat(run("data", "ls", "--data-dir", dataDir.toString())).isEqualTo(0);
        String text = out.toString();
        assertThat(text).containsPattern("mnist-10k\\s+image\\s+yes\\s+1\\.\\d MiB");
        assertThat(text).containsPattern("mnist\\s+image\\s+no\\s+-\\s+" + java.util.regex.Pattern.quote(dataDir.resolve("mnist").toString()));
        assertThat(text).contains("./nnlab data get mnist");
        assertThat(text).containsPattern("spirals\\s+vector\\s+yes");
        assertThat(text).containsPattern("ptb\\s+token_stream, text_corpus\\s+no\\s+-\\s+" + java.util.regex.Pattern.quote(dataDir.resolve("ptb").toString()));
        assertThat(text).containsPattern("markov-text\\s+token_stream\\s+yes");
        assertThat(text).containsPattern("word-groups\\s+text_corpus\\s+yes");
        assertThat(text).contains("text:FILE");
    }

    @Test
    void get_of_an_unknown_name_exits_2_naming_the_allowed_ones() {
        assertThat(run("data", "get", "cifar-10", "--data-dir", dataDir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("unknown dataset 'cifar-10'").contains("mnist, fashion-mnist");
    }

    @Test
    void get_of_a_generated_set_exits_2_saying_it_needs_no_download() {
        assertThat(run("data", "get", "spirals", "--data-dir", dataDir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("'spirals' needs no download");
    }

    @Test
    void get_of_a_dataset_nnlab_does_not_fetch_exits_2_saying_how_to_get_it() {
        assertThat(run("data", "get", "ptb", "--data-dir", dataDir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("'ptb' is not fetched by nnlab").contains("simple-examples.tgz")
                .contains(dataDir.resolve("ptb").toString());
    }
}
