package dev.nnlab.plugins.word2vec.eval;

import dev.nnlab.data.SymmetricEigen;

import java.nio.charset.StandardCharsets;

/**
 * A 2-D PCA projection of the most frequent words, for the embedding projector: the centred
 * vectors projected on the two leading eigenvectors of their covariance. Small (at most a few
 * hundred words), so it is built in memory as JSON:
 * {@code {"words":[...],"x":[...],"y":[...],"explained":[v1,v2]}}.
 */
public final class Projection {
    public static final String MEDIA_TYPE = "application/vnd.nnlab.projection+json";

    private Projection() {}

    /** The projection of the first {@code top} words of {@code vectors} (the most frequent). */
    public static byte[] json(WordVectors vectors, int top) {
        int n = Math.min(top, vectors.size()), d = vectors.dim();
        double[] mean = new double[d];
        for (int w = 0; w < n; w++) for (int i = 0; i < d; i++) mean[i] += vectors.component(w, i);
        for (int i = 0; i < d; i++) mean[i] /= Math.max(n, 1);
        double[] cov = new double[d * d];
        double[] c = new double[d];
        for (int w = 0; w < n; w++) {
            for (int i = 0; i < d; i++) c[i] = vectors.component(w, i) - mean[i];
            for (int i = 0; i < d; i++) for (int j = i; j < d; j++) cov[i * d + j] += c[i] * c[j];
        }
        for (int i = 0; i < d; i++) for (int j = 0; j < i; j++) cov[i * d + j] = cov[j * d + i];
        SymmetricEigen.Result eig = SymmetricEigen.decompose(cov, d);
        StringBuilder words = new StringBuilder(), xs = new StringBuilder(), ys = new StringBuilder();
        for (int w = 0; w < n; w++) {
            double x = 0, y = 0;
            for (int i = 0; i < d; i++) {
                double ci = vectors.component(w, i) - mean[i];
                x += ci * eig.vectors()[i * d];
                if (d > 1) y += ci * eig.vectors()[i * d + 1];
            }
            if (w > 0) { words.append(','); xs.append(','); ys.append(','); }
            Json.string(words, vectors.word(w));
            xs.append((float) x);
            ys.append((float) y);
        }
        double total = 0;
        for (double v : eig.values()) total += Math.max(v, 0);
        double e1 = total == 0 ? 0 : Math.max(eig.values()[0], 0) / total;
        double e2 = total == 0 || d < 2 ? 0 : Math.max(eig.values()[1], 0) / total;
        String json = "{\"words\":[" + words + "],\"x\":[" + xs + "],\"y\":[" + ys + "],\"explained\":[" + (float) e1 + ","
                + (float) e2 + "]}";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
