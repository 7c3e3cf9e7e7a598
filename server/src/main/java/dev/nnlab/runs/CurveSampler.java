package dev.nnlab.runs;

import dev.nnlab.store.MetricSeries;

import java.util.ArrayList;
import java.util.List;

/**
 * Shrinks a learning curve for a chart without hiding what matters: {@code n} points become at
 * most {@code maxPoints} buckets of consecutive points, the bucket sizes differing by at most one.
 * Each bucket reports its LAST point (step, epoch, wall time, value: the line the chart draws, so
 * the curve's final value is exact) and the bucket's min and max (a band), so a one-step loss
 * spike survives as a bucket max instead of vanishing the way every-k-th sampling loses it.
 * NaN values (a diverged loss) are skipped by min and max; a bucket of NaNs has NaN min and max.
 */
public final class CurveSampler {
    private CurveSampler() {}

    /** One plotted point: the bucket's last point, and the bucket's range. */
    public record Sample(long step, double epoch, long wallTime, double value, double min, double max) {}

    /** Every point as its own bucket ({@code min = max = value}). */
    public static List<Sample> raw(MetricSeries s) {
        List<Sample> out = new ArrayList<>(s.size());
        for (int i = 0; i < s.size(); i++) {
            double v = s.values()[i];
            out.add(new Sample(s.steps()[i], s.epochs()[i], s.wallTimes()[i], v, v, v));
        }
        return out;
    }

    /** At most {@code maxPoints} buckets; the series itself when it is no longer than that. */
    public static List<Sample> bucketed(MetricSeries s, int maxPoints) {
        if (maxPoints < 1) throw new IllegalArgumentException("maxPoints must be >= 1: " + maxPoints);
        int n = s.size();
        if (n <= maxPoints) return raw(s);
        List<Sample> out = new ArrayList<>(maxPoints);
        double[] values = s.values();
        for (int b = 0; b < maxPoints; b++) {
            // [from, to): consecutive, covering every point once; long arithmetic avoids overflow of b * n.
            int from = (int) ((long) b * n / maxPoints);
            int to = (int) ((long) (b + 1) * n / maxPoints);
            double min = Double.NaN, max = Double.NaN;
            for (int i = from; i < to; i++) {
                double v = values[i];
                if (v != v) continue;
                if (!(v >= min)) min = v;
                if (!(v <= max)) max = v;
            }
            int last = to - 1;
            out.add(new Sample(s.steps()[last], s.epochs()[last], s.wallTimes()[last], values[last], min, max));
        }
        return out;
    }
}
