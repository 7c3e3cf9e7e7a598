package dev.nnlab.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CpuWindowTest {

    @Test
    void busy_ticks_count_everything_but_idle_and_iowait() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        assertThat(CpuWindow.busyTicks("cpu  100 2 30 5000 40 5 6 7 0 0")).isEqualTo(100 + 2 + 30 + 5 + 6 + 7);
    }

    @Test
    void own_ticks_are_utime_plus_stime_even_when_the_command_name_has_spaces_and_parentheses() {
        String stat = "4242 (java (bench) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 56 0 0 20 0 30 0 777 0 0";
        assertThat(CpuWindow.statTicks(stat)).isEqualTo(1234 + 56);
    }

    @Test
    void peak_rss_is_vmhwm_in_kib(@TempDir Path dir) throws Exception {
        Path status = Files.writeString(dir.resolve("status"), "Name:\tjava\nVmPeak:\t 9000 kB\nVmHWM:\t  123456 kB\nVmRSS:\t 1000 kB\n");
        assertThat(CpuWindow.peakRssKib(status)).isEqualTo(123456);
        assertThat(CpuWindow.peakRssKib(dir.resolve("absent"))).isEqualTo(-1);
    }

    @Test
    void others_cpu_is_busy_minus_own_and_never_negative() {
        CpuWindow.Usage u = new CpuWindow.Usage(2.0, 3.0, 4.5);
        assertThat(u.othersCpuSeconds()).isEqualTo(1.5);
        assertThat(u.othersCores()).isCloseTo(0.75, within(1e-9));
        assertThat(new CpuWindow.Usage(2.0, 3.0, 2.9).othersCpuSeconds()).isZero();
    }

    @Test
    void the_window_of_this_process_sees_its_own_work() {
        // Spin on this thread's own CPU clock, not the wall clock: a busy machine may give it little of the wall time.
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        CpuWindow w = new CpuWindow();
        long t0 = threads.getCurrentThreadCpuTime();
        double x = 0;
        while (threads.getCurrentThreadCpuTime() - t0 < 300_000_000L) x += Math.sqrt(x + 1);
        CpuWindow.Usage u = w.close();
        assertThat(x).isPositive();
        assertThat(u.wallSeconds()).isGreaterThanOrEqualTo(0.3);
        assertThat(u.selfCpuSeconds()).isGreaterThanOrEqualTo(0.25); // ticks are 10 ms
        assertThat(u.busyCpuSeconds()).isGreaterThanOrEqualTo(u.selfCpuSeconds() - 0.05);
    }

    @Test
    void waiting_for_a_quiet_machine_stops_once_others_leave_the_cores() throws Exception {
        // busy ticks sampled once a second: 150, 100, then 10 ticks per second (0.1 cores: quiet)
        Iterator<Long> ticks = List.of(0L, 150L, 250L, 260L).iterator();
        int[] sleeps = {0};
        QuietMachine q = new QuietMachine(60, ticks::next, ms -> sleeps[0]++);
        QuietMachine.Wait w = q.await(new PrintStream(new ByteArrayOutputStream()));
        assertThat(w.quiet()).isTrue();
        assertThat(w.waitedSeconds()).isEqualTo(3);
        assertThat(w.busyCores()).isCloseTo(0.1, within(1e-9));
        assertThat(sleeps[0]).isEqualTo(3);
    }

    @Test
    void a_machine_that_stays_busy_is_measured_anyway_after_the_bound_saying_so() throws Exception {
        long[] t = {0};
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        QuietMachine q = new QuietMachine(5, () -> t[0] += 180, ms -> {});
        QuietMachine.Wait w = q.await(new PrintStream(log, true));
        assertThat(w.quiet()).isFalse();
        assertThat(w.waitedSeconds()).isEqualTo(5);
        assertThat(w.busyCores()).isCloseTo(1.8, within(1e-9));
        assertThat(log.toString()).contains("stayed busy").contains("measuring anyway");
    }

    @Test
    void a_zero_bound_never_waits() throws Exception {
        QuietMachine q = new QuietMachine(0, () -> { throw new AssertionError("sampled"); }, ms -> { throw new AssertionError("slept"); });
        assertThat(q.await(new PrintStream(new ByteArrayOutputStream())).waitedSeconds()).isZero();
    }
}
