package dev.nnlab.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass
@EnumSource(Backend.class)
class CrashRecoveryTest {

    @Parameter
    Backend backend;

    @TempDir
    Path dir;

    @Test
    void a_run_of_a_dead_process_on_this_host_becomes_interrupted_and_one_of_this_process_does_not() throws Exception {
        StoreLocation file = backend.newLocation(dir);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Owner self = Owner.current();
        Owner dead = new Owner(self.host(), gone.pid(), 0);

        long deadRun;
        long liveRun;
        long finishedRun;
        try (Store asDead = file.open(options(dead, Clock.systemUTC()))) {
            deadRun = StoreFixture.run(asDead, "crashed", Map.of()).id();
            asDead.runs().markRunning(deadRun);
            finishedRun = StoreFixture.run(asDead, "done", Map.of()).id();
            asDead.runs().markRunning(finishedRun);
            asDead.runs().finish(finishedRun, RunStatus.FINISHED, null);
        }
        try (Store asSelf = file.open()) {
            assertThat(asSelf.recoveredRuns()).containsExactly(deadRun);
            liveRun = StoreFixture.run(asSelf, "alive", Map.of()).id();
            asSelf.runs().markRunning(liveRun);
        }

        try (Store store = file.open()) {
            assertThat(store.recoveredRuns()).isEmpty();
            Run crashed = store.runs().get(deadRun).orElseThrow();
            assertThat(crashed.status()).isEqualTo(RunStatus.INTERRUPTED);
            assertThat(crashed.ended()).isNotNull();
            assertThat(crashed.error()).contains(String.valueOf(gone.pid()));
            assertThat(store.runs().get(liveRun).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
            assertThat(store.runs().get(finishedRun).orElseThrow().status()).isEqualTo(RunStatus.FINISHED);
        }
    }

    @Test
    void a_queued_run_of_a_dead_process_is_interrupted_too() throws Exception {
        StoreLocation file = backend.newLocation(dir);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long queued;
        try (Store asDead = file.open(options(new Owner(Owner.current().host(), gone.pid(), 0), Clock.systemUTC()))) {
            queued = StoreFixture.run(asDead, "never started", Map.of()).id();
        }
        try (Store store = file.open()) {
            assertThat(store.runs().get(queued).orElseThrow().status()).isEqualTo(RunStatus.INTERRUPTED);
        }
    }

    @Test
    void a_run_of_a_live_pid_that_started_later_is_a_reused_pid_and_interrupted() {
        StoreLocation file = backend.newLocation(dir);
        Owner self = Owner.current();
        // Our own pid, but "started" a minute before this JVM: the recorded owner is another process.
        Owner earlier = new Owner(self.host(), self.pid(), self.startMillis() - 60_000);
        long run;
        try (Store asEarlier = file.open(options(earlier, Clock.systemUTC()))) {
            run = StoreFixture.run(asEarlier, "pid reused", Map.of()).id();
            asEarlier.runs().markRunning(run);
        }
        try (Store store = file.open()) {
            assertThat(store.runs().get(run).orElseThrow().status()).isEqualTo(RunStatus.INTERRUPTED);
        }
    }

    @Test
    void a_run_of_another_host_is_interrupted_only_once_its_heartbeat_is_stale() {
        StoreLocation file = backend.newLocation(dir);
        Instant t0 = Instant.parse("2025-06-01T12:00:00Z");
        Owner worker = new Owner("worker-7", 4242, 0);
        long run;
        try (Store asWorker = file.open(options(worker, Clock.fixed(t0, ZoneOffset.UTC)))) {
            run = StoreFixture.run(asWorker, "remote", Map.of()).id();
            asWorker.runs().markRunning(run);
        }
        Owner self = Owner.current();
        try (Store fiveMinutesLater = file.open(options(self, Clock.fixed(t0.plusSeconds(300), ZoneOffset.UTC)))) {
            assertThat(fiveMinutesLater.recoveredRuns()).isEmpty();
            assertThat(fiveMinutesLater.runs().get(run).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
        }
        try (Store anHourLater = file.open(options(self, Clock.fixed(t0.plusSeconds(3600), ZoneOffset.UTC)))) {
            assertThat(anHourLater.recoveredRuns()).containsExactly(run);
            Run stale = anHourLater.runs().get(run).orElseThrow();
            assertThat(stale.status()).isEqualTo(RunStatus.INTERRUPTED);
            assertThat(stale.error()).contains("worker-7");
        }
    }

    @Test
    void a_live_pid_whose_start_time_is_unknown_is_not_taken_for_the_owner_and_its_heartbeat_decides() throws Exception {
        StoreLocation file = backend.newLocation(dir);
        Instant t0 = Instant.now();
        Owner self = Owner.current();
        // This JVM's pid, recorded without a start time: the pid runs, but it proves nothing.
        Owner unknownStart = new Owner(self.host(), self.pid(), 0);
        long run;
        try (Store asUnknown = file.open(options(unknownStart, Clock.fixed(t0, ZoneOffset.UTC)))) {
            run = StoreFixture.run(asUnknown, "unknown start", Map.of()).id();
            asUnknown.runs().markRunning(run);
        }
        try (Store aMinuteLater = file.open(options(self, Clock.fixed(t0.plusSeconds(60), ZoneOffset.UTC)))) {
            assertThat(aMinuteLater.runs().get(run).orElseThrow().status())
                    .as("a fresh heartbeat keeps it").isEqualTo(RunStatus.RUNNING);
        }
        try (Store anHourLater = file.open(options(self, Clock.fixed(t0.plusSeconds(3600), ZoneOffset.UTC)))) {
            assertThat(anHourLater.recoveredRuns()).containsExactly(run);
            assertThat(anHourLater.runs().get(run).orElseThrow().error()).contains("start time is unknown");
        }
        assertThat(Owner.sameProcess(0, self.startMillis())).isFalse();
        assertThat(Owner.sameProcess(self.startMillis(), 0)).isFalse();
        assertThat(Owner.sameProcess(self.startMillis(), self.startMillis() + 300)).isTrue();
    }

    private static Store.Options options(Owner owner, Clock clock) {
        return new Store.Options(owner, Duration.ofMinutes(10), clock);
    }
}
