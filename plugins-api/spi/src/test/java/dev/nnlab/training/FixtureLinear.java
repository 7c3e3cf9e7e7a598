package dev.nnlab.training;

import dev.nnlab.tensor.Rng;

import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Parameters;
import dev.nnlab.tensor.Tensor;

/** Test fixture: a plain fully connected layer {@code y = x W^T + b}, W (out, in), written with scalar loops. */
final class FixtureLinear implements Layer {
    private final int out;
    private int in;
    private String name;
    private Tensor w, b, dw, db, x, y, dx;

    FixtureLinear(int out) { this.out = out; }

    @Override
    public int[] build(String name, int[] inputShape, Parameters.Builder params) {
        this.name = name;
        this.in = inputShape[0];
        params.add(name + ".weight", out, in);
        params.add(name + ".bias", out);
        return new int[] {out};
    }

    @Override
    public void bind(Parameters p) {
        w = p.value(name + ".weight");
        b = p.value(name + ".bias");
        dw = p.grad(name + ".weight");
        db = p.grad(name + ".bias");
    }

    @Override
    public void initialize(Rng rng) {
        float bound = (float) (1 / Math.sqrt(in));
        for (int i = 0; i < w.size(); i++) w.data[w.offset + i] = rng.uniform(-bound, bound);
        b.fill(0f);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int n = x.rows();
        this.x = x;
        if (y == null || y.rows() != n) y = Tensor.zeros(n, out);
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < out; o++) {
                float s = b.at(o);
                for (int i = 0; i < in; i++) s += x.at(r * in + i) * w.at(o * in + i);
                y.data[r * out + o] = s;
            }
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        int n = dy.rows();
        if (dx == null || dx.rows() != n) dx = Tensor.zeros(n, in);
        dx.fill(0f);
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < out; o++) {
                float g = dy.at(r * out + o);
                db.data[db.offset + o] += g;
                for (int i = 0; i < in; i++) {
                    dw.data[dw.offset + o * in + i] += g * x.at(r * in + i);
                    dx.data[r * in + i] += g * w.at(o * in + i);
                }
            }
        }
        return dx;
    }

    @Override
    public String kind() { return "fixlinear"; }
}
