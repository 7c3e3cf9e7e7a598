package dev.nnlab.spi;

import dev.nnlab.data.MarkovText;
import dev.nnlab.data.Spirals;
import dev.nnlab.data.TokenStreams;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainingJobTest {

    @Test
    void the_accessor_of_the_data_kind_returns_it_and_another_fails_naming_both_kinds() {
        TokenStreams tokens = MarkovText.standard(0).generate("markov-text", 100, 10, 10, 1);
        TrainingJob job = new TrainingJob(Map.of("epochs", 1), tokens, null, 1);
        assertThat(job.tokens()).isSameAs(tokens);
        assertThat(job.data().kind()).isEqualTo(DataKind.TOKEN_STREAM);
        assertThatThrownBy(job::labelled).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("this job's data is TOKEN_STREAM (markov-text), not labelled tensors (VECTOR or IMAGE)");
        assertThatThrownBy(job::corpus).hasMessageContaining("not a text corpus (TEXT_CORPUS)");
    }

    @Test
    void labelled_parts_make_a_labelled_job_whose_kind_follows_the_sample_shape() {
        var spirals = Spirals.generate(3, 10, 0.1, 1);
        TrainingJob job = new TrainingJob(Map.of(), spirals, spirals.subset("v", new int[0]), spirals.subset("t", new int[0]), null, 1);
        assertThat(job.labelled().train()).isSameAs(spirals);
        assertThat(job.data().kind()).isEqualTo(DataKind.VECTOR);
        assertThatThrownBy(job::tokens).hasMessageContaining("this job's data is VECTOR");
    }

    @Test
    void early_stopping_minimises_losses_and_perplexities_and_maximises_accuracies() {
        assertThat(new EarlyStopping("val_loss", 3, 0).minimize()).isTrue();
        assertThat(new EarlyStopping("val_ppl", 3, 0).minimize()).isTrue();
        assertThat(new EarlyStopping("val_acc", 3, 0).minimize()).isFalse();
        assertThatThrownBy(() -> new EarlyStopping("val_acc", 0, 0)).hasMessageContaining("patience = 0 must be >= 1");
    }
}
