package dev.nnlab.bench;

import dev.nnlab.host.LoadedFamily;
import dev.nnlab.host.PluginRegistry;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * nnlab's side of a workload: {@link NnlabWorkloadMain} in a child JVM started with this JVM's own
 * flags and class path, one per measurement. A child per workload is what makes nnlab's peak RSS
 * comparable to a peer's (each figure is one process's VmHWM: heap, JIT and data of that workload
 * alone), and keeps rounds independent. {@value #EXTRA_OPTS_VARIABLE} adds JVM options to the child
 * only, e.g. {@code -XX:StartFlightRecording=filename=w1.jfr} to profile a workload.
 */
final class NnlabSide implements Side {
    static final String EXTRA_OPTS_VARIABLE = "NNLAB_BENCH_JVM_OPTS";
    static final Duration TIMEOUT = Duration.ofMinutes(60);

    private final PluginRegistry plugins;

    NnlabSide(PluginRegistry plugins) {
        this.plugins = plugins;
    }

    @Override public String system() { return "nnlab"; }

    @Override
    public Measurement unavailable(Workload w, BenchSettings s, PrintStream log) {
        String reason = missingReason(w, plugins == null ? null : plugins.families().keySet());
        return reason == null ? null
                : Measurement.notMeasured(w.id(), "nnlab", null, 1, Measurement.Status.MISSING, reason, null);
    }

    /** Why nnlab cannot run {@code w} here, or null: its family is not loaded, or the harness has no runner for it yet. */
    static String missingReason(Workload w, java.util.Set<String> loaded) {
        if (w.nnlabFamily().equals("kernel")) return null;
        if (loaded != null && !loaded.contains(w.nnlabFamily())) {
            return "no nnlab family '" + w.nnlabFamily() + "' is loaded (loaded: " + String.join(", ", loaded.stream().sorted().toList())
                    + "); " + w.id() + " is measured on nnlab once that family exists";
        }
        if (!w.nnlabRunner()) {
            return "the benchmark harness has no nnlab runner for " + w.id() + " yet (family '" + w.nnlabFamily() + "')";
        }
        return null;
    }

    @Override
    public Measurement measure(Workload w, BenchSettings s, int round, PrintStream log) {
        SideProcess.Outcome o = SideProcess.run(command(w, s, heapOption(w)), Map.of(), null, TIMEOUT, log);
        if (o.missing() != null) return Measurement.notMeasured(w.id(), "nnlab", null, round, Measurement.Status.MISSING, o.missing(), null);
        if (o.failure() != null) return SideResult.failed(w, "nnlab", null, round, o.failure());
        return SideResult.parse(o.result(), w, "nnlab", null, round);
    }

    /**
     * -Xmx for the image workloads: the heap nnlab's planner would give them
     * ({@link ImageWorkload#plannedHeapBytes}); null for the others and when the family is not loaded.
     */
    String heapOption(Workload w) {
        if (plugins == null || !ImageWorkload.has(w.id())) return null;
        LoadedFamily f = plugins.family(w.nnlabFamily());
        if (f == null) return null;
        return "-Xmx" + ((ImageWorkload.of(w.id()).plannedHeapBytes(f.family()) + (1 << 20) - 1) >> 20) + "m";
    }

    static List<String> command(Workload w, BenchSettings s) {
        return command(w, s, null);
    }

    /** java [this JVM's flags] [heap] [NNLAB_BENCH_JVM_OPTS] -cp [this class path] NnlabWorkloadMain --workload ... */
    static List<String> command(Workload w, BenchSettings s, String heap) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // A debugger agent would make the child wait for one; a recording of the parent is not the child's.
            if (arg.startsWith("-agentlib:jdwp") || arg.startsWith("-Xrunjdwp") || arg.startsWith("-XX:StartFlightRecording")) continue;
            if (heap != null && arg.startsWith("-Xmx")) continue;
            cmd.add(arg);
        }
        if (heap != null) cmd.add(heap);
        // Huge pages as the launcher gives them (and as the peers get them through glibc), also when this JVM was
        // started some other way: on 4 KB pages W1's throughput changed 2.5x from one process to the next.
        if (PeerScript.transparentHugePagesOnRequest() && cmd.stream().noneMatch(a -> a.contains("UseTransparentHugePages"))) {
            cmd.add("-XX:+UseTransparentHugePages");
        }
        String extra = System.getenv(EXTRA_OPTS_VARIABLE);
        if (extra != null && !extra.isBlank()) cmd.addAll(List.of(extra.trim().split("\\s+")));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), NnlabWorkloadMain.class.getName(),
                "--workload", w.id(), "--data-dir", s.dataDir().toString(), "--plugins", s.pluginsDir().toString(),
                "--threads", String.valueOf(s.threads())));
        if (s.epochs() != null) cmd.addAll(List.of("--epochs", String.valueOf(s.epochs())));
        if (s.dataset() != null) cmd.addAll(List.of("--dataset", s.dataset()));
        return cmd;
    }
}
