package dev.nnlab.bench;

import jdk.incubator.vector.FloatVector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The machine's nominal fp32 peak: cores x float lanes per vector x FMA units per core x 2 flops
 * per FMA x clock. The clock is /proc/cpuinfo's "cpu MHz", the nominal frequency under a
 * hypervisor (turbo can be higher, AVX-512 licence clocks lower). Two FMA units per core is an
 * assumption (true for Xeon Scalable Gold/Platinum since Skylake-SP; some SKUs have one).
 */
record FmaPeak(int cores, int lanes, int fmaUnits, double ghz) {
    static final int ASSUMED_FMA_UNITS = 2;

    static FmaPeak estimate() {
        return new FmaPeak(Runtime.getRuntime().availableProcessors(), FloatVector.SPECIES_PREFERRED.length(),
                ASSUMED_FMA_UNITS, cpuMhz() / 1000.0);
    }

    double gflops() { return cores * lanes * fmaUnits * 2.0 * ghz; }

    String derivation() {
        return String.format(Locale.ROOT,
                "%d cores x %d fp32 lanes (%d-bit vectors) x %d FMA units (assumed) x 2 flops x %.3f GHz "
                        + "(nominal, /proc/cpuinfo cpu MHz; turbo and AVX-512 clocks differ)",
                cores, lanes, lanes * 32, fmaUnits, ghz);
    }

    private static double cpuMhz() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("cpu MHz")) return Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
