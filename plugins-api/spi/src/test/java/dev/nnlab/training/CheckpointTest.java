package dev.nnlab.training;

import dev.nnlab.optim.Checkpoint;

import dev.nnlab.nn.Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointTest {
    @TempDir
    Path dir;

    @Test
    void resuming_from_a_checkpoint_continues_bit_identically() throws IOException {
        Path file = dir.resolve("run.ckpt");
        FixtureTraining a = new FixtureTraining(7);
        a.run(10); // mid-epoch: 7 batches per epoch
        Map<String, Long> meta = new LinkedHashMap<>();
        meta.put(Checkpoint.EPOCH, a.step / a.batches.batchCount());
        meta.put(Checkpoint.STEP, a.step);
        meta.put(Checkpoint.SEED, a.seed);
        Checkpoint.save(file, a.model.params(), a.optimizer, meta);
        a.run(9);

        Map<String, Long> stored = Checkpoint.readMetadata(file);
        FixtureTraining b = new FixtureTraining(stored.get(Checkpoint.SEED));
        assertThat(Checkpoint.load(file, b.model.params(), b.optimizer)).isEqualTo(meta);
        b.step = stored.get(Checkpoint.STEP);
        b.run(9);

        assertThat(Arrays.equals(a.model.params().values, b.model.params().values)).isTrue();
        assertThat(Arrays.equals(a.optimizer.state().get("velocity"), b.optimizer.state().get("velocity"))).isTrue();
        assertThat(b.optimizer.steps()).isEqualTo(19);
    }

    @Test
    void non_trainable_buffers_and_metadata_round_trip() throws IOException {
        Path file = dir.resolve("bn.ckpt");
        Parameters saved = batchNormLike(3);
        for (int i = 0; i < saved.size(); i++) saved.values[i] = 0.25f * i - 1f;
        Checkpoint.save(file, saved, null, Map.of(Checkpoint.EPOCH, 4L));

        Parameters loaded = batchNormLike(3);
        Map<String, Long> meta = Checkpoint.load(file, loaded, null);
        assertThat(loaded.values).containsExactly(saved.values);
        assertThat(loaded.value("bn0.running_var").at(2)).isEqualTo(saved.values[8]);
        assertThat(meta).containsExactly(Map.entry(Checkpoint.EPOCH, 4L));
    }

    @Test
    void a_model_with_another_shape_is_refused_naming_the_entry_and_left_untouched() throws IOException {
        Path file = dir.resolve("dense.ckpt");
        Parameters small = dense(3);
        Arrays.fill(small.values, 1f);
        Checkpoint.save(file, small, null, Map.of());
        Parameters wide = dense(4);
        assertThatThrownBy(() -> Checkpoint.load(file, wide, null))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("dense0.weight[2, 3] in the file")
                .hasMessageContaining("dense0.weight[2, 4] in the model");
        assertThat(wide.values).containsOnly(0f);
    }

    @Test
    void a_flipped_byte_is_detected_by_the_checksum() throws IOException {
        Path file = dir.resolve("x.ckpt");
        Parameters p = dense(3);
        Arrays.fill(p.values, 0.5f);
        Checkpoint.save(file, p, null, Map.of());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 20] ^= 0x10;
        Files.write(file, bytes);
        assertThatThrownBy(() -> Checkpoint.load(file, dense(3), null)).hasMessageContaining("checksum");
    }

    @Test
    void truncated_and_foreign_files_are_refused() throws IOException {
        Path file = dir.resolve("x.ckpt");
        Checkpoint.save(file, dense(3), null, Map.of());
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 9));
        assertThatThrownBy(() -> Checkpoint.load(file, dense(3), null)).hasMessageContaining("truncated");
        Files.writeString(file, "not a checkpoint at all");
        assertThatThrownBy(() -> Checkpoint.load(file, dense(3), null)).hasMessageContaining("NNLABCKP");
    }

    @Test
    void asking_for_optimizer_state_that_was_not_saved_is_refused() throws IOException {
        Path file = dir.resolve("weights-only.ckpt");
        Parameters p = dense(3);
        Checkpoint.save(file, p, null, Map.of());
        assertThatThrownBy(() -> Checkpoint.load(file, p, new FixtureSgd(p, 0.1f, 0.9f)))
                .hasMessageContaining("no optimizer state");
    }

    private static Parameters dense(int in) {
        Parameters.Builder b = Parameters.builder();
        b.add("dense0.weight", 2, in);
        b.add("dense0.bias", 2);
        return b.build();
    }

    private static Parameters batchNormLike(int c) {
        Parameters.Builder b = Parameters.builder();
        b.add("bn0.gamma", c);
        b.add("bn0.beta", c);
        b.add("bn0.running_var", false, c);
        return b.build();
    }
}
