package dev.nnlab.nn.layers;

import dev.nnlab.kernels.Parallelism;
import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.init.He;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Not a test: milliseconds of this thread's CPU time per batch of 128 for each layer shape of W4's ResNet-20
 * (forward and backward apart), times how often the shape occurs in the network, on one kernel thread, so that
 * the share of each shape in a step can be read off under load. Run: {@code java --add-modules jdk.incubator.vector
 * -cp core/target/classes:core/target/test-classes dev.nnlab.nn.layers.ResNetLayerSpeed [rounds] [filter]}.
 */
final class ResNetLayerSpeed {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static final int BATCH = 128;

    record Shape(String name, int count, int[] in, Supplier<Layer> layer, boolean first) {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String filter = args.length > 1 ? args[1] : "";
        Parallelism.setThreads(1);
        List<Shape> shapes = new ArrayList<>();
        shapes.add(new Shape("conv1x32->16", 1, new int[] {1, 32, 32}, () -> conv(16, 1), true));
        shapes.add(new Shape("conv16x32->16", 6, new int[] {16, 32, 32}, () -> conv(16, 1), false));
        shapes.add(new Shape("conv16x32->32s2", 1, new int[] {16, 32, 32}, () -> conv(32, 2), false));
        shapes.add(new Shape("conv32x16->32", 5, new int[] {32, 16, 16}, () -> conv(32, 1), false));
        shapes.add(new Shape("conv32x16->64s2", 1, new int[] {32, 16, 16}, () -> conv(64, 2), false));
        shapes.add(new Shape("conv64x8->64", 5, new int[] {64, 8, 8}, () -> conv(64, 1), false));
        shapes.add(new Shape("bn16x32", 7, new int[] {16, 32, 32}, BatchNorm::new, false));
        shapes.add(new Shape("bn32x16", 6, new int[] {32, 16, 16}, BatchNorm::new, false));
        shapes.add(new Shape("bn64x8", 6, new int[] {64, 8, 8}, BatchNorm::new, false));
        shapes.add(new Shape("relu16x32", 7, new int[] {16, 32, 32}, ReLU::new, false));
        shapes.add(new Shape("relu32x16", 6, new int[] {32, 16, 16}, ReLU::new, false));
        shapes.add(new Shape("relu64x8", 6, new int[] {64, 8, 8}, ReLU::new, false));
        double[][] best = new double[shapes.size()][2];
        for (double[] b : best) b[0] = b[1] = Double.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < shapes.size(); i++) {
                Shape s = shapes.get(i);
                if (!s.name.contains(filter)) continue;
                double[] t = time(s, 3);
                best[i][0] = Math.min(best[i][0], t[0]);
                best[i][1] = Math.min(best[i][1], t[1]);
            }
        }
        double total = 0;
        for (int i = 0; i < shapes.size(); i++) {
            if (shapes.get(i).name.contains(filter)) total += shapes.get(i).count * (best[i][0] + best[i][1]);
        }
        for (int i = 0; i < shapes.size(); i++) {
            Shape s = shapes.get(i);
            if (!s.name.contains(filter)) continue;
            double all = s.count * (best[i][0] + best[i][1]);
            System.out.printf(Locale.ROOT, "%-18s x%d  fwd %7.2f ms  bwd %7.2f ms  (x count: %7.1f ms, %4.1f%%)%n",
                    s.name, s.count, best[i][0], best[i][1], all, 100 * all / total);
        }
        System.out.printf(Locale.ROOT, "total of these layers: %.1f ms per batch of %d (one thread) = %.0f samples per CPU second%n",
                total, BATCH, BATCH * 1000 / total);
    }

    private static Layer conv(int out, int stride) {
        return new Conv2d(out, new WindowGeometry(3, stride, 1), false, new He(), true);
    }

    /** Best of {@code reps} forward and backward times in ms of thread CPU. */
    private static double[] time(Shape s, int reps) {
        Layer layer = s.layer.get();
        Sequential net = new Sequential(s.in, layer).initialize(new Rng(7));
        SplittableRandom r = new SplittableRandom(3);
        int size = Tensor.sizeOf(s.in);
        Tensor x = Tensor.zeros(BATCH, s.in[0], s.in[1], s.in[2]);
        for (int i = 0; i < BATCH * size; i++) x.data[i] = (float) r.nextGaussian();
        Tensor y = net.forward(x, true);
        Tensor dy = Tensor.zeros(y.shape());
        for (int i = 0; i < dy.size(); i++) dy.data[i] = (float) r.nextGaussian() * 0.01f;
        double f = Double.MAX_VALUE, b = Double.MAX_VALUE;
        for (int k = 0; k < reps; k++) {
            long t0 = MX.getCurrentThreadCpuTime();
            net.forward(x, true);
            long t1 = MX.getCurrentThreadCpuTime();
            if (s.first) net.backwardParameters(dy);
            else net.backward(dy);
            long t2 = MX.getCurrentThreadCpuTime();
            f = Math.min(f, (t1 - t0) / 1e6);
            b = Math.min(b, (t2 - t1) / 1e6);
        }
        return new double[] {f, b};
    }
}
