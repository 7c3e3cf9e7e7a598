package dev.nnlab.bench;

import java.io.PrintStream;

/** One system measured on a workload: nnlab in a child JVM, or a peer (a Python script or a program). */
interface Side {
    String system();

    /** Which installation, when a system has several (W0's two numpys); else null. */
    default String variant() { return null; }

    /** Null when the side can be measured here; else a sentence saying why not (and how to fix it). */
    Measurement unavailable(Workload w, BenchSettings s, PrintStream log);

    /** One timed run of the workload; a FAILED measurement (never an exception) when the run fails. */
    Measurement measure(Workload w, BenchSettings s, int round, PrintStream log);
}
