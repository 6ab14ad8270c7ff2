package dev.amalgam.merge.data;

import java.util.List;

/**
 * Test-side transcription of FusionBench's RegMean merge, in double precision:
 * {@code reduce_non_diagonal_elements} and {@code merging_with_regmean_weights} in
 * fusion_bench/method/regmean/regmean.py (tanganke/fusion_bench, commit 54c9e8c9d9621620c720452cd8533332a32d3689):
 * G' = G ⊙ (ratio off the diagonal, 1 on it); merged = (inv(Σ G') · Σ G' Wᵀ)ᵀ.
 */
final class RegMeanReference {
    private RegMeanReference() {
    }

    /** @param weights per task [out][in]; @param grams per task [in][in] */
    static double[][] merge(List<double[][]> weights, List<double[][]> grams, double ratio) {
        int out = weights.get(0).length;
        int in = weights.get(0)[0].length;
        double[][] sumG = new double[in][in];
        double[][] sumGW = new double[in][out];
        for (int t = 0; t < weights.size(); t++) {
            double[][] g = grams.get(t);
            double[][] w = weights.get(t);
            for (int i = 0; i < in; i++) {
                for (int j = 0; j < in; j++) {
                    double gij = g[i][j] * (i == j ? 1.0 : ratio);
                    sumG[i][j] += gij;
                    for (int o = 0; o < out; o++) {
                        sumGW[i][o] += gij * w[o][j];
                    }
                }
            }
        }
        double[][] inv = inverse(sumG);
        double[][] merged = new double[out][in];
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                double s = 0;
                for (int k = 0; k < in; k++) {
                    s += inv[i][k] * sumGW[k][o];
                }
                merged[o][i] = s;
            }
        }
        return merged;
    }

    /** Gauss–Jordan inverse with partial pivoting. */
    static double[][] inverse(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n + i] = 1;
        }
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
                    p = r;
                }
            }
            double[] tmp = m[c];
            m[c] = m[p];
            m[p] = tmp;
            double d = m[c][c];
            for (int k = 0; k < 2 * n; k++) {
                m[c][k] /= d;
            }
            for (int r = 0; r < n; r++) {
                if (r != c && m[r][c] != 0) {
                    double f = m[r][c];
                    for (int k = 0; k < 2 * n; k++) {
                        m[r][k] -= f * m[c][k];
                    }
                }
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], n, inv[i], 0, n);
        }
        return inv;
    }

    /** The mean Gram matrix XᵀX / rows of rows X [rows][in], as FusionBench's forward hook accumulates it. */
    static double[][] gram(double[][] x) {
        int in = x[0].length;
        double[][] g = new double[in][in];
        for (double[] row : x) {
            for (int i = 0; i < in; i++) {
                for (int j = 0; j < in; j++) {
                    g[i][j] += row[i] * row[j];
                }
            }
        }
        for (double[] r : g) {
            for (int j = 0; j < in; j++) {
                r[j] /= x.length;
            }
        }
        return g;
    }

    static double[][] matrix(float[] flat, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m[r][c] = flat[r * cols + c];
            }
        }
        return m;
    }
}
