package dev.nnlab.catalog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code ./nnlab data get gcide} in each situation a user can be in, without installing anything:
 * the package present, absent for a non-root user, absent without apt-get, and absent for root
 * (where a stand-in apt-get plays the install).
 */
class GcideFromDebianTest {
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logged, true, StandardCharsets.UTF_8);

    static void writeDictionary(Path dict) throws IOException {
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(dict))) {
            o.write(GcideDatasetTest.SAMPLE.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void with_the_package_installed_it_converts_the_dictionary_into_the_data_directory(@TempDir Path dir) throws IOException {
        Path dict = dir.resolve("gcide.dict.dz");
        writeDictionary(dict);
        Path text = new GcideFromDebian(dict, false, dir.resolve("no-apt-get"), dir.resolve("cache")).fetchInto(dir.resolve("data"), log);
        assertThat(text).isEqualTo(dir.resolve("data/gcide/" + GcideDataset.FILE));
        assertThat(Files.readAllLines(text)).hasSize(2).first().asString().startsWith("apple ap ple n ");
        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("gcide: " + text);
    }

    @Test
    void without_the_package_a_user_who_is_not_root_is_told_the_apt_get_command(@TempDir Path dir) throws IOException {
        Path apt = fakeAptGet(dir, null);
        assertThatThrownBy(() -> new GcideFromDebian(dir.resolve("gcide.dict.dz"), false, apt, dir.resolve("cache")).fetchInto(dir.resolve("data"), log))
                .isInstanceOf(IOException.class).hasMessageContaining("gcide.dict.dz is missing")
                .hasMessageContaining("sudo apt-get install dict-gcide").hasMessageContaining("./nnlab data get gcide");
        assertThat(dir.resolve("apt-args")).doesNotExist();
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void without_apt_get_it_says_to_install_the_distributions_package(@TempDir Path dir) {
        assertThatThrownBy(() -> new GcideFromDebian(dir.resolve("gcide.dict.dz"), true, dir.resolve("no-apt-get"), dir.resolve("cache"))
                .fetchInto(dir.resolve("data"), log))
                .isInstanceOf(IOException.class).hasMessageContaining("Install the dict-gcide package of your distribution");
    }

    @Test
    void as_root_it_installs_dict_gcide_with_apt_get_then_converts_it(@TempDir Path dir) throws IOException {
        Path dict = dir.resolve("gcide.dict.dz");
        Path source = dir.resolve("package.dz");
        writeDictionary(source);
        Path apt = fakeAptGet(dir, "cp '" + source + "' '" + dict + "'");
        Path text = new GcideFromDebian(dict, true, apt, dir.resolve("cache")).fetchInto(dir.resolve("data"), log);
        assertThat(Files.readString(dir.resolve("apt-args")).strip()).isEqualTo("install -y --no-install-recommends dict-gcide");
        assertThat(Files.readAllLines(text)).hasSize(2);
    }

    @Test
    void an_install_that_leaves_no_dictionary_or_fails_is_an_error_saying_what_to_try(@TempDir Path dir) throws IOException {
        Path dict = dir.resolve("gcide.dict.dz");
        assertThatThrownBy(() -> new GcideFromDebian(dict, true, fakeAptGet(dir, "true"), dir.resolve("cache")).fetchInto(dir.resolve("data"), log))
                .isInstanceOf(IOException.class).hasMessageContaining("is still missing").hasMessageContaining("apt-get update");
        assertThatThrownBy(() -> new GcideFromDebian(dict, true, fakeAptGet(dir, "exit 100"), dir.resolve("cache")).fetchInto(dir.resolve("data"), log))
                .isInstanceOf(IOException.class).hasMessageContaining("failed with exit code 100");
    }

    /** A stand-in for apt-get that records its arguments and then runs {@code then} (null: never meant to run). */
    private static Path fakeAptGet(Path dir, String then) throws IOException {
        Path script = dir.resolve("apt-get");
        Files.writeString(script, "#!/bin/sh\necho \"$@\" > '" + dir.resolve("apt-args") + "'\n" + (then == null ? "exit 1" : then) + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
