package dev.amalgam.eval.run;

import dev.amalgam.model.heads.LinearHead;

/**
 * Multinomial logistic regression on frozen features (full batch, Adam, small L2), deterministic:
 * the "pre-trained" row's heads, since the pretrained encoder has no task heads of its own.
 */
public final class LinearProbe {
    private LinearProbe() {
    }

    public static LinearHead fit(float[][] x, int[] y, int classes, int steps, double lr, double l2) {
        int n = x.length;
        int d = x[0].length;
        double[][] w = new double[classes][d];
        double[] b = new double[classes];
        double[][] mw = new double[classes][d];
        double[][] vw = new double[classes][d];
        double[] mb = new double[classes];
        double[] vb = new double[classes];
        double b1 = 0.9;
        double b2 = 0.999;
        double[] p = new double[classes];
        for (int step = 1; step <= steps; step++) {
            double[][] gw = new double[classes][d];
            double[] gb = new double[classes];
            for (int i = 0; i < n; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    double z = b[c];
                    for (int k = 0; k < d; k++) {
                        z += w[c][k] * x[i][k];
                    }
                    p[c] = z;
                    max = Math.max(max, z);
                }
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    p[c] = Math.exp(p[c] - max);
                    sum += p[c];
                }
                for (int c = 0; c < classes; c++) {
                    double g = (p[c] / sum - (c == y[i] ? 1 : 0)) / n;
                    gb[c] += g;
                    for (int k = 0; k < d; k++) {
                        gw[c][k] += g * x[i][k];
                    }
                }
            }
            double c1 = 1 - Math.pow(b1, step);
            double c2 = 1 - Math.pow(b2, step);
            for (int c = 0; c < classes; c++) {
                for (int k = 0; k < d; k++) {
                    double g = gw[c][k] + l2 * w[c][k];
                    mw[c][k] = b1 * mw[c][k] + (1 - b1) * g;
                    vw[c][k] = b2 * vw[c][k] + (1 - b2) * g * g;
                    w[c][k] -= lr * (mw[c][k] / c1) / (Math.sqrt(vw[c][k] / c2) + 1e-8);
                }
                mb[c] = b1 * mb[c] + (1 - b1) * gb[c];
                vb[c] = b2 * vb[c] + (1 - b2) * gb[c] * gb[c];
                b[c] -= lr * (mb[c] / c1) / (Math.sqrt(vb[c] / c2) + 1e-8);
            }
        }
        float[][] wf = new float[classes][d];
        float[] bf = new float[classes];
        for (int c = 0; c < classes; c++) {
            for (int k = 0; k < d; k++) {
                wf[c][k] = (float) w[c][k];
            }
            bf[c] = (float) b[c];
        }
        return new LinearHead(wf, bf);
    }
}
