package dev.nnlab.runs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VectorCacheTest {
    @TempDir
    Path dir;

    /** Four 2-D words: b is nearest a (cosine 0.8), then c (0), then d (-1). */
    private RunArtifacts.Download vectors(String name) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, "4 2\na 1 0\nb 0.8 0.6\nc 0 2\nd -3 0\n");
        return new RunArtifacts.Download("vectors.txt", "text/plain", Files.size(f), f);
    }

    private LoadedVectors get(VectorCache c, long run, RunArtifacts.Download d) {
        return c.get(run, d, () -> RunNeighbours.load(d, run, c.budget()));
    }

    @Test
    void a_second_query_on_a_run_reuses_the_parsed_vectors_and_ranks_by_cosine() throws IOException {
        VectorCache c = new VectorCache(1000);
        RunArtifacts.Download d = vectors("v1.txt");
        List<RunNeighbours.Neighbour> n = get(c, 1, d).nearest(1, "a", 3);
        assertThat(n).extracting(RunNeighbours.Neighbour::word).containsExactly("b", "c", "d");
        assertThat(n.get(0).similarity()).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(n.get(2).similarity()).isCloseTo(-1, org.assertj.core.data.Offset.offset(1e-6));
        get(c, 1, d).nearest(1, "b", 1);
        assertThat(c.loads()).isEqualTo(1);
    }

    @Test
    void the_cache_holds_at_most_its_budget_dropping_the_least_recently_asked_run() throws IOException {
        VectorCache c = new VectorCache(16); // two runs of 4 x 2 floats
        RunArtifacts.Download d1 = vectors("v1.txt"), d2 = vectors("v2.txt"), d3 = vectors("v3.txt");
        get(c, 1, d1);
        get(c, 2, d2);
        get(c, 1, d1); // run 1 asked again: run 2 is now the least recent
        get(c, 3, d3);
        assertThat(c.runs()).containsExactlyInAnyOrder(1L, 3L);
        assertThat(c.loads()).isEqualTo(3);
    }

    @Test
    void vectors_larger_than_the_whole_budget_are_not_cached_and_a_rewritten_file_is_read_anew() throws IOException {
        VectorCache small = new VectorCache(7);
        assertThat(get(small, 1, vectors("v1.txt"))).isNull();
        assertThat(small.runs()).isEmpty();

        VectorCache c = new VectorCache(1000);
        RunArtifacts.Download d = vectors("v1.txt");
        get(c, 1, d);
        Files.writeString(d.file(), "2 2\na 1 0\nz 1 0.1\n");
        Files.setLastModifiedTime(d.file(), FileTime.fromMillis(Files.getLastModifiedTime(d.file()).toMillis() + 5000));
        assertThat(get(c, 1, d).nearest(1, "a", 1).getFirst().word()).isEqualTo("z");
        assertThat(c.loads()).isEqualTo(2);
        assertThat(c.runs()).containsExactly(1L);
    }

    @Test
    void a_word_outside_the_vocabulary_is_named_with_the_vocabulary_size() throws IOException {
        VectorCache c = new VectorCache(1000);
        LoadedVectors v = get(c, 7, vectors("v1.txt"));
        assertThatThrownBy(() -> v.nearest(7, "zebra", 3)).isInstanceOf(UnknownWordException.class)
                .hasMessageContaining("\"zebra\" is not in the vocabulary of run 7 (4 words)");
    }
}
