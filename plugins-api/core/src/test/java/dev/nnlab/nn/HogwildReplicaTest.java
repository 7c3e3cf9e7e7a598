package dev.nnlab.nn;

import dev.nnlab.nn.layers.Dense;
import dev.nnlab.nn.layers.Dropout;
import dev.nnlab.nn.layers.Tanh;
import dev.nnlab.nn.loss.SoftmaxCrossEntropy;
import dev.nnlab.optim.Sgd;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Replicas share parameter values (Hogwild) and keep their own activations, caches and gradients. */
class HogwildReplicaTest {
    private static final int SAMPLES = 200, FEATURES = 4, CLASSES = 3;

    private static List<Layer> layers() {
        return List.of(new Dense(16), new Tanh(), new Dropout(0.1f), new Dense(CLASSES));
    }

    /** Three classes by the sign pattern of two features: learnable by the small network above. */
    private static Tensor features() {
        Rng rng = new Rng(11);
        Tensor x = Tensor.zeros(SAMPLES, FEATURES);
        for (int i = 0; i < x.size(); i++) x.data[i] = (float) rng.nextGaussian();
        return x;
    }

    private static int[] labels(Tensor x) {
        int[] y = new int[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) y[i] = x.get(i, 0) > 0.5f ? 0 : x.get(i, 1) > 0 ? 1 : 2;
        return y;
    }

    private static double loss(Sequential net, Tensor x, int[] y) {
        return new SoftmaxCrossEntropy().forward(net.forward(x, false), y);
    }

    @Test
    void a_replica_shares_the_values_but_not_the_gradients_or_the_layer_caches() {
        Sequential base = new Sequential(new int[] {FEATURES}, layers()).initialize(new Rng(1));
        Sequential replica = base.replica(layers(), new Rng(2));
        assertThat(replica.params().values).isSameAs(base.params().values);
        assertThat(replica.params().grads).isNotSameAs(base.params().grads);

        Tensor x = features();
        Tensor x1 = x.slice(0, 8).copy(), x2 = x.slice(8, 16).copy();
        int[] y = labels(x);
        int[] y1 = java.util.Arrays.copyOfRange(y, 0, 8), y2 = java.util.Arrays.copyOfRange(y, 8, 16);
        // Interleave: base forwards x1, the replica forwards x2, then both go backward.
        SoftmaxCrossEntropy l1 = new SoftmaxCrossEntropy(), l2 = new SoftmaxCrossEntropy();
        l1.forward(base.forward(x1, true), y1);
        l2.forward(replica.forward(x2, true), y2);
        base.params().zeroGrad();
        replica.params().zeroGrad();
        base.backward(l1.backward());
        replica.backward(l2.backward());

        // The same gradient from a network on its own: the replica's forward did not disturb base's caches.
        Sequential alone = new Sequential(new int[] {FEATURES}, layers()).initialize(new Rng(1));
        SoftmaxCrossEntropy l3 = new SoftmaxCrossEntropy();
        l3.forward(alone.forward(x1, true), y1);
        alone.params().zeroGrad();
        alone.backward(l3.backward());
        assertThat(base.params().grads).containsExactly(alone.params().grads);
        assertThat(replica.params().grads).isNotEqualTo(alone.params().grads);

        // A step through the replica is seen by the original.
        float before = base.params().values[0];
        replica.params().grads[0] = 1f;
        new Sgd(replica.params(), 0.5f).step();
        assertThat(base.params().values[0]).isNotEqualTo(before);
    }

    @Test
    void two_threads_train_one_model_through_their_replicas() throws Exception {
        Tensor x = features();
        int[] y = labels(x);
        Sequential base = new Sequential(new int[] {FEATURES}, layers()).initialize(new Rng(3));
        double initial = loss(base, x, y);
        Sequential[] replicas = {base.replica(layers(), new Rng(4)), base.replica(layers(), new Rng(5))};
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] threads = new Thread[2];
        for (int t = 0; t < 2; t++) {
            Sequential net = replicas[t];
            int first = t * SAMPLES / 2;
            threads[t] = new Thread(() -> {
                try {
                    Sgd sgd = new Sgd(net.params(), 0.2f);
                    SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
                    start.await();
                    // Each thread sees only its half of the data: what it learns comes through the shared values.
                    for (int step = 0; step < 300; step++) {
                        int from = first + (step * 10) % (SAMPLES / 2);
                        ce.forward(net.forward(x.slice(from, from + 10), true), java.util.Arrays.copyOfRange(y, from, from + 10));
                        net.params().zeroGrad();
                        net.backward(ce.backward());
                        sgd.step();
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "hogwild-" + t);
            threads[t].start();
        }
        start.countDown();
        for (Thread th : threads) th.join();
        assertThat(failure.get()).isNull();
        double trained = loss(base, x, y);
        assertThat(trained).as("loss over both halves, from %s", initial).isLessThan(0.5 * initial);
    }

    @Test
    void dropout_inside_a_residual_block_of_a_replica_is_seeded_and_the_shared_weights_are_kept() {
        java.util.function.Supplier<List<Layer>> blocks = () -> List.of(
                new dev.nnlab.nn.layers.Residual(new Dense(FEATURES), new Dropout(0.5f)), new Dense(CLASSES));
        Sequential base = new Sequential(new int[] {FEATURES}, blocks.get()).initialize(new Rng(1));
        float[] values = base.params().values.clone();
        Sequential replica = base.replica(blocks.get(), new Rng(2));
        assertThat(replica.params().values).containsExactly(values);
        Tensor x = features().slice(0, 4);
        assertThat(replica.forward(x, true).shape()).containsExactly(4, CLASSES);
    }

    @Test
    void replicas_of_an_embedding_keep_their_own_touched_rows_and_step_into_one_table() {
        Sequential base = new Sequential(new int[] {2}, new dev.nnlab.nn.layers.Embedding(50, 3)).initialize(new Rng(1));
        Sequential replica = base.replica(List.of(new dev.nnlab.nn.layers.Embedding(50, 3)), new Rng(2));
        Parameters.Entry table = base.params().entry("embedding0.weight");
        Tensor y = replica.forward(Tensor.of(new float[] {7, 9}, 1, 2), true);
        replica.params().zeroGrad();
        replica.backward(Tensor.of(new float[] {1, 1, 1, 1, 1, 1}, y.shape()));
        assertThat(replica.params().touchedRows(table).count()).isEqualTo(2);
        assertThat(base.params().touchedRows(table).count()).isZero();
        float before = base.params().value(table).get(7, 0);
        Sgd sgd = new Sgd(replica.params(), 0.5f);
        sgd.step();
        assertThat(sgd.lastStepSize()).isEqualTo(6);
        assertThat(base.params().value(table).get(7, 0)).isEqualTo(before - 0.5f);
    }

    @Test
    void a_replica_needs_new_layers_of_the_same_shape() {
        Sequential base = new Sequential(new int[] {FEATURES}, layers()).initialize(new Rng(1));
        assertThatThrownBy(() -> base.replica(List.of(new Dense(16), new Tanh(), new Dense(CLASSES)), new Rng(2)))
                .hasMessageContaining("same layers");
        assertThatThrownBy(() -> base.replica(base.layers(), new Rng(2))).hasMessageContaining("new layer instances");
    }
}
