package dev.nnlab.optim;

import dev.nnlab.kernels.Parallelism;
import dev.nnlab.nn.Parameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** An update split across two threads (a long parameter range) leaves exactly the values and state of one thread. */
class OptimizerThreadsTest {

    @AfterEach
    void restore() {
        Parallelism.setThreads(Runtime.getRuntime().availableProcessors());
        GroupedOptimizer.parallelGrain = GroupedOptimizer.DEFAULT_PARALLEL_GRAIN;
    }

    @Test
    void every_built_in_optimizer_gives_the_same_bits_on_one_and_on_two_threads() {
        List<Function<Parameters, GroupedOptimizer>> makers = List.of(
                p -> new Adam(p, List.of(), 1e-3f, 0.9f, 0.999f, 1e-8f, 1e-4f, false),
                p -> new Adam(p, List.of(), 1e-3f, 0.9f, 0.999f, 1e-8f, 1e-2f, true),
                p -> new Sgd(p, List.of(), 0.01f, 0.9f, false, 5e-4f),
                p -> new Sgd(p, List.of(), 0.01f, 0.9f, true, 0f),
                p -> new Sgd(p, 0.1f),
                p -> new RmsProp(p, 1e-3f),
                p -> new Adagrad(p, 1e-2f));
        GroupedOptimizer.parallelGrain = 64;
        for (Function<Parameters, GroupedOptimizer> make : makers) {
            Parallelism.setThreads(1);
            Parameters one = trained(make);
            Parallelism.setThreads(2);
            Parameters two = trained(make);
            assertThat(two.values).as(make.apply(params()).kind()).containsExactly(one.values);
            assertThat(one.values).isNotEqualTo(params().values);
        }
    }

    /** 3 * 64 + 5 values (more than one grain per thread, not a multiple of any vector length), three steps. */
    private static Parameters trained(Function<Parameters, GroupedOptimizer> make) {
        Parameters p = params();
        GroupedOptimizer opt = make.apply(p);
        SplittableRandom r = new SplittableRandom(11);
        for (int step = 0; step < 3; step++) {
            for (int i = 0; i < p.grads.length; i++) p.grads[i] = (float) r.nextDouble(-1, 1);
            opt.step();
        }
        return p;
    }

    private static Parameters params() {
        Parameters.Builder b = Parameters.builder();
        b.add("w", 3 * 64 + 5);
        Parameters p = b.build();
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < p.values.length; i++) p.values[i] = (float) r.nextDouble(-1, 1);
        return p;
    }
}
