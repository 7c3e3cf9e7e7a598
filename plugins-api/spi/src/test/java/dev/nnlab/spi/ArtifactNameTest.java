package dev.nnlab.spi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArtifactNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"confusion_matrix.json", "weight templates (epoch 3).png", "a", "résumé.txt", "x.tar.gz", ".hidden"})
    void plain_file_names_are_allowed(String name) {
        assertThat(ArtifactName.check(name)).isEqualTo(name);
    }

    @Test
    void a_slash_is_refused_naming_the_value_and_what_is_allowed() {
        assertThatThrownBy(() -> ArtifactName.check("plots/loss.png"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"plots/loss.png\"")
                .hasMessageContaining("contains '/'")
                .hasMessageContaining("expected 1 to 200 characters without '/', '\\', '..' or control characters");
    }

    @Test
    void a_backslash_is_refused() {
        assertThatThrownBy(() -> ArtifactName.check("plots\\loss.png")).hasMessageContaining("contains '\\'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "a..b", "...", "x.."})
    void two_dots_anywhere_are_refused(String name) {
        assertThatThrownBy(() -> ArtifactName.check(name)).hasMessageContaining("contains '..'");
    }

    @Test
    void a_single_dot_is_refused() {
        assertThatThrownBy(() -> ArtifactName.check(".")).hasMessageContaining("it is '.'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "a\rb", "tab\there", "nul\u0000", "del\u007f", "c1\u0085", "line\u2028sep"})
    void control_characters_are_refused_and_shown_escaped(String name) {
        assertThatThrownBy(() -> ArtifactName.check(name))
                .hasMessageContaining("control character U+")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\r", "\u0000"));
    }

    @Test
    void empty_blank_and_missing_names_are_refused() {
        assertThatThrownBy(() -> ArtifactName.check("")).hasMessageContaining("it is empty");
        assertThatThrownBy(() -> ArtifactName.check(null)).hasMessageContaining("null");
        assertThatThrownBy(() -> ArtifactName.check("   ")).hasMessageContaining("it is blank");
    }

    @Test
    void names_over_200_characters_are_refused_and_200_is_fine() {
        assertThat(ArtifactName.check("x".repeat(200))).hasSize(200);
        assertThatThrownBy(() -> ArtifactName.check("x".repeat(201))).hasMessageContaining("it has 201 characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"image/png", "text/plain; charset=utf-8", "application/vnd.nnlab.confusion+json",
            "application/octet-stream"})
    void media_types_with_optional_parameters_are_allowed(String type) {
        assertThat(ArtifactName.checkMediaType(type)).isEqualTo(type);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "png", "image/", "text/html\r\nSet-Cookie: x=1", "image/png; charset", "a b/c"})
    void anything_that_is_not_a_media_type_is_refused(String type) {
        assertThatThrownBy(() -> ArtifactName.checkMediaType(type))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected type/subtype");
    }

    @Test
    void every_sink_checks_the_name_even_one_that_keeps_no_files() {
        RunSink dropping = new RunSink() {
            @Override public void metric(String key, long step, double epoch, double value) {}
            @Override public void layerStat(long step, String layer, String stat, double value) {}
            @Override public void event(long step, Severity severity, String code, String message, String hint) {}
        };
        dropping.artifact("ok.txt", "text/plain", new byte[] {1});
        assertThatThrownBy(() -> dropping.artifact("../etc/passwd", "text/plain", new byte[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_recording_sink_keeps_the_latest_version_of_each_name_from_bytes_files_and_writers(@TempDir Path dir)
            throws IOException {
        RecordingSink sink = new RecordingSink();
        sink.artifact("report.txt", "text/plain", "v1".getBytes(StandardCharsets.UTF_8));
        Path file = Files.writeString(dir.resolve("w.bin"), "from a file");
        sink.artifact("weights.bin", "application/octet-stream", file);
        sink.artifact("report.txt", "text/plain", out -> out.write("v2".getBytes(StandardCharsets.UTF_8)));

        assertThat(sink.artifacts()).extracting(RecordingSink.Artifact::name).containsExactly("weights.bin", "report.txt");
        assertThat(new String(sink.artifact("report.txt").bytes(), StandardCharsets.UTF_8)).isEqualTo("v2");
        assertThat(new String(sink.artifact("weights.bin").bytes(), StandardCharsets.UTF_8)).isEqualTo("from a file");
    }

    @Test
    void a_writer_that_fails_becomes_an_event_not_an_artifact() {
        RecordingSink sink = new RecordingSink();
        sink.artifact("half.bin", "application/octet-stream", out -> {
            throw new IOException("disk full");
        });
        assertThat(sink.artifacts()).isEmpty();
        assertThat(sink.events()).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo("artifact_failed");
            assertThat(e.message()).contains("half.bin", "disk full");
        });
    }
}
