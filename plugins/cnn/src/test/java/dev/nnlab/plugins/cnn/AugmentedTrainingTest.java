package dev.nnlab.plugins.cnn;

import dev.nnlab.data.LabelledTensors;
import dev.nnlab.spi.RecordingSink;
import dev.nnlab.spi.TrainResult;
import dev.nnlab.spi.TrainingJob;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static dev.nnlab.plugins.cnn.ConvNetTest.CNN;
import static dev.nnlab.plugins.cnn.ConvNetTest.job;
import static dev.nnlab.plugins.cnn.ConvNetTest.p;
import static org.assertj.core.api.Assertions.assertThat;

/** Augmentation inside the shared loop: training batches only, reproducible per seed. */
class AugmentedTrainingTest {
    private static final String SMALL = "conv3x3x4p1,relu,maxpool2,fc10";

    private static RecordingSink train(TrainingJob job) throws Exception {
        RecordingSink sink = new RecordingSink();
        assertThat(CNN.train(job, sink).outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        return sink;
    }

    @Test
    void augmentation_changes_the_training_batches_only_reproducibly_and_never_the_stored_data() throws Exception {
        TrainingJob augmented = job(200, p("layers", SMALL, "epochs", 1, "batchSize", 50, "logEvery", 1, "augFlip", true,
                "augCropPad", 2, "augScale", 0.8, "augErase", 0.5));
        LabelledTensors data = augmented.labelled();
        float[] train = data.train().features().toArray(), val = data.validation().features().toArray(),
                test = data.test().features().toArray();

        RecordingSink first = train(augmented);
        assertThat(Arrays.equals(data.train().features().toArray(), train)).as("training set unchanged").isTrue();
        assertThat(Arrays.equals(data.validation().features().toArray(), val)).as("validation set unchanged").isTrue();
        assertThat(Arrays.equals(data.test().features().toArray(), test)).as("test set unchanged").isTrue();

        List<Double> again = train(augmented).values("train_loss");
        assertThat(again).as("same seed, same augmented batches").containsExactlyElementsOf(first.values("train_loss"));

        TrainingJob plain = job(200, p("layers", SMALL, "epochs", 1, "batchSize", 50, "logEvery", 1));
        RecordingSink unaugmented = train(plain);
        // Same initial weights: the first batch's loss is only the same if that batch was not augmented.
        assertThat(first.last("initial_loss")).isNotEqualTo(unaugmented.last("initial_loss"));
        TrainingJob otherSeed = job(200, p("layers", SMALL, "epochs", 1, "batchSize", 50, "logEvery", 1, "augFlip", true,
                "augCropPad", 2, "augScale", 0.8, "augErase", 0.5, "seed", 2));
        assertThat(train(otherSeed).values("train_loss")).isNotEqualTo(first.values("train_loss"));
    }
}
