package dev.nnlab.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One side of one workload in one round: measured, or why not.
 *
 * @param system      "nnlab", "pytorch", "numpy", "gensim", "fasttext"
 * @param variant     which installation of that system when there are several (W0's numpy of
 *                    /usr/bin/python3 and of the python3 on PATH), else null
 * @param throughput  in {@code unit}; NaN unless OK
 * @param quality     in {@code qualityUnit}; null when the workload has none (W0) or it was not measured
 * @param usage       the CPU window of the timed part; null unless OK
 * @param peakRssKib  the measured process's peak resident set (VmHWM), -1 when unknown
 * @param blas        the BLAS the process loaded; null for the nnlab side and peers without one
 * @param versions    the side's library versions, as it reported them
 * @param extra       workload-specific figures (1-thread GFLOPS, analogy accuracy, epochs, ...)
 */
record Measurement(String workload, String system, String variant, int round, Status status, String reason,
                   double throughput, String unit, Double quality, String qualityUnit, CpuWindow.Usage usage,
                   long peakRssKib, LoadedBlas blas, Map<String, Object> versions, Map<String, Object> extra,
                   QuietMachine.Wait quietWait) {

    enum Status {
        /** Measured. */
        OK,
        /** Not installed or not written yet: nothing to measure. */
        MISSING,
        /** Installed, but its figure would mislead (the reference BLAS), so not measured. */
        REFUSED,
        /** Ran and failed. */
        FAILED;

        String json() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    Measurement {
        // Peers report nulls (an unset environment variable): kept, so a line shows what was asked.
        versions = versions == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(versions));
        extra = extra == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /** The side as the table names it: "numpy (/usr/bin/python3)". */
    String side() { return variant == null ? system : system + " (" + variant + ")"; }

    boolean ok() { return status == Status.OK; }

    static Measurement notMeasured(String workload, String system, String variant, int round, Status status, String reason,
                                   Map<String, Object> versions) {
        return new Measurement(workload, system, variant, round, status, reason, Double.NaN, null, null, null, null, -1,
                null, versions, null, null);
    }

    Measurement withWait(QuietMachine.Wait w) {
        return new Measurement(workload, system, variant, round, status, reason, throughput, unit, quality, qualityUnit, usage,
                peakRssKib, blas, versions, extra, w);
    }
}
