package dev.nnlab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What every benchmark line names about where and with what it ran: the CPU model and core count,
 * the vector width nnlab's kernels use, nnlab's version and the commit of the checkout.
 */
record Machine(String cpuModel, int cores, int vectorBits, String nnlabVersion, String commit) {

    static Machine current(String nnlabVersion, String commit) {
        return new Machine(cpuModel(Path.of("/proc/cpuinfo")), Runtime.getRuntime().availableProcessors(), VectorBits.used(),
                nnlabVersion, commit);
    }

    /** "AMD EPYC 9R14 x 2 cores": the {@code machine} parameter of recorded bench runs. */
    String label() { return cpuModel + " x " + cores + " cores"; }

    static String cpuModel(Path cpuinfo) {
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).strip();
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }
}
