package dev.nnlab.kernels;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParallelismTest {

    @Test
    void set_threads_rejects_less_than_one_and_is_read_back() {
        int before = Parallelism.threads();
        try {
            assertThatThrownBy(() -> Parallelism.setThreads(0)).isInstanceOf(IllegalArgumentException.class);
            Parallelism.setThreads(3);
            assertThat(Parallelism.threads()).isEqualTo(3);
            assertThat(Parallelism.pool().workers()).isEqualTo(2);
        } finally {
            Parallelism.setThreads(before);
        }
    }

    @Test
    void every_task_runs_exactly_once_even_with_more_tasks_than_threads() {
        WorkerPool pool = new WorkerPool(2);
        try {
            AtomicIntegerArray runs = new AtomicIntegerArray(17);
            pool.invokeAll(17, runs::incrementAndGet);
            for (int t = 0; t < 17; t++) assertThat(runs.get(t)).as("task %d", t).isEqualTo(1);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void a_failing_task_rethrows_on_the_caller_after_the_others_finish() {
        WorkerPool pool = new WorkerPool(1);
        try {
            AtomicIntegerArray runs = new AtomicIntegerArray(4);
            assertThatThrownBy(() -> pool.invokeAll(4, t -> {
                runs.incrementAndGet(t);
                if (t == 2) throw new IllegalStateException("task 2 broke");
            })).isInstanceOf(IllegalStateException.class).hasMessage("task 2 broke");
            for (int t = 0; t < 4; t++) assertThat(runs.get(t)).isEqualTo(1);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void pool_threads_are_recognised_so_kernels_called_there_run_inline() {
        WorkerPool pool = new WorkerPool(1);
        try {
            AtomicReference<Boolean> seenOnWorker = new AtomicReference<>(false);
            // Two tasks and one helper: whichever task the helper claims runs on a worker thread.
            pool.invokeAll(2, t -> {
                if (WorkerPool.onWorkerThread()) seenOnWorker.set(true);
            });
            assertThat(WorkerPool.onWorkerThread()).isFalse();
            pool.invokeAll(64, t -> {
                if (WorkerPool.onWorkerThread()) seenOnWorker.set(true);
                spin();
            });
            assertThat(seenOnWorker.get()).isTrue();
        } finally {
            pool.shutdown();
        }
    }

    private static void spin() {
        long until = System.nanoTime() + 200_000;
        while (System.nanoTime() < until) Thread.onSpinWait();
    }
}
