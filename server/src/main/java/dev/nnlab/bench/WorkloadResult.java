package dev.nnlab.bench;

import java.util.Locale;

/**
 * One system's figures on one workload, printed as one JSON line: training throughput (samples per
 * second over the timed training loop) and quality (test accuracy, a fraction).
 */
record WorkloadResult(String id, String system, int threads, double throughput, double quality) {

    /**
     * {@code {"id":"W1","system":"nnlab","threads":2,"throughput":41000.0,"unit":"samples/s",
     * "quality":0.9200,"quality_unit":"test_acc"}} on one line.
     */
    String toJson() {
        return String.format(Locale.ROOT,
                "{\"id\":\"%s\",\"system\":\"%s\",\"threads\":%d,\"throughput\":%.1f,\"unit\":\"samples/s\","
                        + "\"quality\":%.4f,\"quality_unit\":\"test_acc\"}",
                id, system, threads, throughput, quality);
    }

    /** {@code {"id":"W1","ratio_throughput":1.234,"quality_delta":0.0012}}: this (nnlab) over, and minus, the peer. */
    String comparisonJson(WorkloadResult peer) {
        return String.format(Locale.ROOT, "{\"id\":\"%s\",\"ratio_throughput\":%.3f,\"quality_delta\":%.4f}",
                id, throughput / peer.throughput(), quality - peer.quality());
    }

    /** Samples per second for {@code samples} training samples seen per epoch over {@code epochs} epochs. */
    static double throughput(long samples, int epochs, long nanos) {
        return samples * (double) epochs / (nanos / 1e9);
    }
}
