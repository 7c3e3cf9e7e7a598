package dev.nnlab.kernels;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParallelismTest {

    @Test
    void a_callers_limit_caps_its_own_kernel_calls_and_no_other_threads() throws Exception {
        int global = Parallelism.threads();
        try {
            Parallelism.setThreads(2);
            Parallelism.limitCurrentThread(1);
            org.assertj.core.api.Assertions.assertThat(Parallelism.threads()).isEqualTo(1);
            int[] seenElsewhere = new int[1];
            Thread other = new Thread(() -> seenElsewhere[0] = Parallelism.threads());
            other.start();
            other.join();
            org.assertj.core.api.Assertions.assertThat(seenElsewhere[0]).isEqualTo(2);
            // A limit above the global setting does not raise it.
            Parallelism.limitCurrentThread(8);
            org.assertj.core.api.Assertions.assertThat(Parallelism.threads()).isEqualTo(2);
            // Products computed under a limit of 1 equal the reference.
            Parallelism.limitCurrentThread(1);
            int m = 300, n = 260, k = 290;
            float[] a = new float[m * k], b = new float[k * n], c = new float[m * n], ref = new float[m * n];
            java.util.SplittableRandom r = new java.util.SplittableRandom(3);
            for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble(-1, 1);
            for (int i = 0; i < b.length; i++) b[i] = (float) r.nextDouble(-1, 1);
            Sgemm.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
            SgemmReference.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, ref, 0, n);
            for (int i = 0; i < c.length; i++) {
                org.assertj.core.api.Assertions.assertThat(c[i]).isCloseTo(ref[i], org.assertj.core.data.Offset.offset(1e-3f));
            }
        } finally {
            Parallelism.clearCurrentThreadLimit();
            Parallelism.setThreads(global);
        }
    }

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

    @Test
    void calls_after_the_workers_parked_and_an_interrupted_caller_still_wait_for_every_task() throws Exception {
        WorkerPool pool = new WorkerPool(1);
        try {
            for (int round = 0; round < 3; round++) {
                // Longer than the workers' spin: the next call must wake a parked worker.
                Thread.sleep(WorkerPool.SPIN_NANOS / 1_000_000 + 5);
                AtomicIntegerArray runs = new AtomicIntegerArray(8);
                pool.invokeAll(8, t -> {
                    spin();
                    runs.incrementAndGet(t);
                });
                for (int t = 0; t < 8; t++) assertThat(runs.get(t)).as("round %d task %d", round, t).isEqualTo(1);
            }
            // The caller's interrupt neither cuts the wait short nor gets lost.
            AtomicIntegerArray runs = new AtomicIntegerArray(2);
            Thread.currentThread().interrupt();
            try {
                pool.invokeAll(2, t -> {
                    long until = System.nanoTime() + 3 * WorkerPool.SPIN_NANOS; // outlasts the caller's spin
                    while (System.nanoTime() < until) Thread.onSpinWait();
                    runs.incrementAndGet(t);
                });
                assertThat(runs.get(0) + runs.get(1)).isEqualTo(2);
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void a_shut_down_pools_spinning_worker_exits() throws Exception {
        WorkerPool pool = new WorkerPool(1);
        pool.invokeAll(4, t -> spin());
        pool.shutdown(); // the worker is most likely still polling for the next job: it must notice and end
        assertThat(pool.awaitTermination(5_000)).isTrue();
    }

    private static void spin() {
        long until = System.nanoTime() + 200_000;
        while (System.nanoTime() < until) Thread.onSpinWait();
    }
}
