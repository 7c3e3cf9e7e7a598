package dev.nnlab.kernels;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Parallelism#forEachClaimed}: every task runs once, and no two tasks running at once share a slot. */
class ForEachClaimedTest {

    @Test
    void every_task_runs_once_in_a_slot_no_other_running_task_holds() {
        int before = Parallelism.threads();
        try {
            for (int threads = 1; threads <= 3; threads++) {
                Parallelism.setThreads(threads);
                for (int tasks : new int[] {1, 2, 5, 64}) {
                    int slots = Parallelism.slots(tasks);
                    assertThat(slots).isBetween(1, Math.min(threads, tasks));
                    AtomicIntegerArray runs = new AtomicIntegerArray(tasks), busy = new AtomicIntegerArray(slots);
                    boolean[] clash = new boolean[1];
                    Parallelism.forEachClaimed(tasks, (t, slot) -> {
                        if (busy.getAndIncrement(slot) != 0) clash[0] = true;
                        runs.incrementAndGet(t);
                        Thread.onSpinWait();
                        busy.decrementAndGet(slot);
                    });
                    for (int t = 0; t < tasks; t++) assertThat(runs.get(t)).as("task %d of %d", t, tasks).isEqualTo(1);
                    assertThat(clash[0]).as("two tasks in one slot at once").isFalse();
                }
            }
        } finally {
            Parallelism.setThreads(before);
        }
    }

    @Test
    void a_callers_limit_bounds_the_slots_even_when_the_pool_has_more_workers() {
        int before = Parallelism.threads();
        try {
            Parallelism.setThreads(3);
            Parallelism.limitCurrentThread(2);
            int slots = Parallelism.slots(16);
            assertThat(slots).isEqualTo(2);
            AtomicIntegerArray seen = new AtomicIntegerArray(8);
            Parallelism.forEachClaimed(16, (t, slot) -> {
                seen.incrementAndGet(slot);
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (int s = slots; s < 8; s++) assertThat(seen.get(s)).as("slot %d", s).isZero();
        } finally {
            Parallelism.clearCurrentThreadLimit();
            Parallelism.setThreads(before);
        }
    }
}
