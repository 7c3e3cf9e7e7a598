package dev.nnlab.cli;

import dev.nnlab.host.PluginJars;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./nnlab run} prints a lesson's verdict under its summary; {@code ./nnlab lessons} lists lessons with their last verdict. */
class LessonsCommandTest {

    private static String spec(String name, String compare) {
        return """
                {"name":"%s","family":"mlp","dataset":"spirals","epochs":1,"params":{"logEvery":5,"hidden":[8]},
                 "grid":{"optimizer":["sgd","momentum"]},
                 "lesson":{"claim":"Claim of %s.","source":"a course","checks":[
                   {"statistic":"train_loss","at":"last","group":{"optimizer":"sgd"},"compare":"%s","value":0}]}}"""
                .formatted(name, name, compare);
    }

    @Test
    void run_prints_the_verdict_under_the_summary_and_lessons_lists_the_last_verdict_of_each_file(@TempDir Path dir) throws Exception {
        Path lessons = Files.createDirectories(dir.resolve("lessons"));
        Path held = Files.writeString(lessons.resolve("a.json"), spec("positive-loss", ">"));
        Files.writeString(lessons.resolve("b.json"), spec("negative-loss", "<"));
        Files.writeString(lessons.resolve("c.json"), spec("never-run", ">"));
        String[] host = {"--db", dir.resolve("s.db").toString(), "--plugins", PluginJars.builtInPlugins().toString(),
                "--data-dir", dir.resolve("no-data").toString()};

        CliRun a = CliRun.of(concat(new String[] {"run", held.toString()}, host));
        assertThat(a.exitCode()).as(a.err()).isZero();
        assertThat(a.out()).contains("best val_acc").contains("lesson: Claim of positive-loss.").contains("source: a course")
                .contains("HELD  train_loss (last): optimizer=sgd > 0.0").contains("verdict: HELD");
        assertThat(a.out().indexOf("verdict:")).isGreaterThan(a.out().indexOf("best val_acc"));
        CliRun b = CliRun.of(concat(new String[] {"run", lessons.resolve("b.json").toString()}, host));
        assertThat(b.exitCode()).as(b.err()).isZero();
        assertThat(b.out()).contains("verdict: NOT HELD");

        CliRun list = CliRun.of(concat(new String[] {"lessons", "--dir", lessons.toString()}, host));
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out().lines().filter(l -> l.startsWith("positive-loss"))).singleElement().asString().contains("HELD").contains("Claim of positive-loss.");
        assertThat(list.out().lines().filter(l -> l.startsWith("negative-loss"))).singleElement().asString().contains("NOT_HELD");
        assertThat(list.out().lines().filter(l -> l.startsWith("never-run"))).singleElement().asString().contains("never run");
    }

    @Test
    void a_lesson_file_without_a_lesson_is_bad_input(@TempDir Path dir) throws Exception {
        Path lessons = Files.createDirectories(dir.resolve("lessons"));
        Files.writeString(lessons.resolve("plain.json"), "{\"name\":\"x\",\"family\":\"mlp\",\"dataset\":\"spirals\"}");
        CliRun r = CliRun.of("lessons", "--dir", lessons.toString(), "--db", dir.resolve("s.db").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("plain.json").contains("$.lesson").contains("must hold a lesson");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
