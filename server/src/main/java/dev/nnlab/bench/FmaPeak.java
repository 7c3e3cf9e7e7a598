package dev.nnlab.bench;

import jdk.incubator.vector.FloatVector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The machine's nominal fp32 peak: cores x fp32 lanes an FMA unit retires per cycle x FMA units per
 * core x 2 flops per FMA x clock. The clock is /proc/cpuinfo's "cpu MHz", the nominal frequency under
 * a hypervisor (turbo can be higher, AVX-512 licence clocks lower). Two FMA units per core is an
 * assumption (true for Xeon Scalable Gold/Platinum since Skylake-SP and for AMD Zen; some SKUs have
 * one). An FMA unit is as wide as the vectors, except on AMD Zen 1-4 (family 0x17 and 0x19), whose
 * units are 256 bits wide: Zen 4 runs a 512-bit FMA as two halves, so 512-bit vectors there do not
 * double the peak of 256-bit ones.
 *
 * @param lanes         fp32 lanes of the vectors nnlab uses
 * @param datapathLanes fp32 lanes one FMA unit retires per cycle (at most {@code lanes})
 */
record FmaPeak(int cores, int lanes, int datapathLanes, int fmaUnits, double ghz) {
    static final int ASSUMED_FMA_UNITS = 2;

    static FmaPeak estimate() {
        List<String> cpuinfo = cpuinfo();
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        return new FmaPeak(Runtime.getRuntime().availableProcessors(), lanes, Math.min(lanes, datapathBits(cpuinfo) / 32),
                ASSUMED_FMA_UNITS, field(cpuinfo, "cpu MHz") / 1000.0);
    }

    double gflops() { return cores * datapathLanes * fmaUnits * 2.0 * ghz; }

    String derivation() {
        String width = datapathLanes == lanes ? String.format(Locale.ROOT, "%d fp32 lanes (%d-bit vectors)", lanes, lanes * 32)
                : String.format(Locale.ROOT, "%d fp32 lanes (%d-bit vectors on %d-bit FMA units)", datapathLanes, lanes * 32,
                datapathLanes * 32);
        return String.format(Locale.ROOT,
                "%d cores x %s x %d FMA units (assumed) x 2 flops x %.3f GHz "
                        + "(nominal, /proc/cpuinfo cpu MHz; turbo and AVX-512 clocks differ)",
                cores, width, fmaUnits, ghz);
    }

    /** Bits one FMA unit handles per cycle: 256 on AMD Zen 1-4, else unbounded (the vector width decides). */
    static int datapathBits(List<String> cpuinfo) {
        boolean amd = cpuinfo.stream().anyMatch(l -> l.startsWith("vendor_id") && l.contains("AuthenticAMD"));
        double family = field(cpuinfo, "cpu family");
        return amd && family <= 0x19 ? 256 : Integer.MAX_VALUE;
    }

    private static List<String> cpuinfo() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The first "name : number" line's number, NaN when absent. */
    private static double field(List<String> cpuinfo, String name) {
        for (String line : cpuinfo) {
            if (line.startsWith(name) && line.indexOf(':') > 0 && line.substring(0, line.indexOf(':')).trim().equals(name)) {
                try {
                    return Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
                } catch (NumberFormatException e) {
                    return Double.NaN;
                }
            }
        }
        return Double.NaN;
    }
}
