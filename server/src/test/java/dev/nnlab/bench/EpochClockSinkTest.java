package dev.nnlab.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EpochClockSinkTest {
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final EpochClockSink sink = new EpochClockSink(3, new PrintStream(log, true));

    @Test
    void the_clock_has_not_stopped_before_the_last_epochs_train_acc() {
        sink.start();
        sink.metric("train_acc", 100, 1, 0.8);
        sink.metric("train_acc", 200, 2, 0.85);
        sink.metric("train_loss", 300, 3, 0.3);
        assertThatThrownBy(sink::trainingNanos).hasMessageContaining("train_acc for epoch 3");
    }

    @Test
    void evaluation_after_the_last_train_acc_does_not_move_the_end_of_training() {
        sink.start();
        sink.metric("train_acc", 300, 3, 0.9);
        long training = sink.trainingNanos();
        sink.metric("test_loss", 300, 3, 0.25);
        sink.metric("test_acc", 300, 3, 0.92);
        assertThat(training).isNotNegative();
        assertThat(sink.trainingNanos()).isEqualTo(training);
        assertThat(sink.recorded().last("test_acc")).isEqualTo(0.92);
    }

    @Test
    void each_epochs_train_acc_is_logged_as_progress() {
        sink.start();
        sink.metric("train_acc", 100, 1, 0.8123);
        assertThat(log.toString()).contains("epoch 1/3: train_acc 0.8123");
    }
}
