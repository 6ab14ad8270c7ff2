package dev.amalgam.merge.linalg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Gram-matrix SVD and polar factor against LAPACK's SVD (a different algorithm: bidiagonalisation
 * of x itself) and plain-double checks, on tall, wide and square matrices with a decaying spectrum
 * (like task vectors), plus the rank-deficient fallbacks.
 */
class GramSvdTest {

    /** x = A·diag(decay)·B with Gaussian A, B: singular values spread over about two decades. */
    static float[] decaying(Random r, int rows, int cols) {
        int k = Math.min(rows, cols);
        float[] a = SvdTest.random(r, rows * k);
        float[] b = SvdTest.random(r, k * cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < k; j++) {
                a[i * k + j] *= (float) Math.exp(-4.0 * j / k);
            }
        }
        double[] x = SvdTest.matMul(a, b, rows, k, cols);
        float[] f = new float[x.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (x[i] * 1e-3);
        }
        return f;
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void topTripletsMatchTheLapackSvd() {
        Random r = new Random(11);
        try (NDManager m = NDManager.newBaseManager()) {
            for (int[] mn : new int[][]{{60, 24}, {24, 60}, {32, 32}}) {
                int rows = mn[0], cols = mn[1], k = 7;
                NDArray x = m.create(decaying(r, rows, cols), new Shape(rows, cols));
                try (Svd.Thin want = Svd.thin(x); GramSvd g = GramSvd.of(x); Svd.Thin got = g.top(k)) {
                    float[] sAll = want.s().toFloatArray();
                    assertArrayEquals(sAll, g.singularValues(), 1e-5f * sAll[0], "all singular values");
                    assertEquals(new Shape(rows, k), got.u().getShape());
                    assertEquals(new Shape(k, cols), got.vh().getShape());
                    // U_k S_k Vh_k agrees with LAPACK's (sign-invariant), and U_k has orthonormal columns
                    try (NDArray lapack = LowRank.truncated(want, k); NDArray gram = LowRank.truncated(got, k);
                         NDArray projected = g.truncated(k)) {
                        double scale = maxAbs(lapack.toFloatArray());
                        assertTrue(maxDiff(lapack.toFloatArray(), gram.toFloatArray()) < 1e-5 * scale, rows + "x" + cols);
                        assertTrue(maxDiff(lapack.toFloatArray(), projected.toFloatArray()) < 1e-5 * scale, rows + "x" + cols);
                    }
                    SvdTest.assertOrthonormalColumns(got.u().toFloatArray(), rows, k);
                    SvdTest.assertOrthonormalColumns(SvdTest.transpose(got.vh().toFloatArray(), k, cols), cols, k);
                }
            }
        }
    }

    @Test
    void zeroSingularValuesFallBackToTheFullSvd() {
        Random r = new Random(12);
        try (NDManager m = NDManager.newBaseManager()) {
            // rank 3 matrix, 5 triplets asked: the Gram path cannot form U for s = 0
            float[] a = SvdTest.random(r, 20 * 3);
            float[] b = SvdTest.random(r, 3 * 10);
            double[] x = SvdTest.matMul(a, b, 20, 3, 10);
            float[] xf = new float[x.length];
            for (int i = 0; i < xf.length; i++) {
                xf[i] = (float) x[i];
            }
            NDArray arr = m.create(xf, new Shape(20, 10));
            try (GramSvd g = GramSvd.of(arr); Svd.Thin f = g.top(5)) {
                SvdTest.assertOrthonormalColumns(f.u().toFloatArray(), 20, 5);
                try (NDArray rec = LowRank.truncated(f, 5)) {
                    assertTrue(maxDiff(xf, rec.toFloatArray()) < 1e-4 * maxAbs(xf));
                }
            }
            try (GramSvd g = GramSvd.of(m.zeros(new Shape(6, 4))); Svd.Thin f = g.top(2)) {
                assertArrayEquals(new float[]{0, 0}, f.s().toFloatArray());
            }
        }
    }

    @Test
    void polarByGramMatchesThePolarFromTheSvd() {
        Random r = new Random(13);
        try (NDManager m = NDManager.newBaseManager()) {
            for (int[] mn : new int[][]{{40, 16}, {16, 40}, {20, 20}}) {
                int rows = mn[0], cols = mn[1];
                NDArray x = m.create(SvdTest.random(r, rows * cols), new Shape(rows, cols));
                NDArray viaGram = Svd.polarByGram(x);
                assertNotNull(viaGram, "well-conditioned");
                try (Svd.Thin f = Svd.thin(x); NDArray viaSvd = f.u().matMul(f.vh())) {
                    assertTrue(maxDiff(viaSvd.toFloatArray(), viaGram.toFloatArray()) < 1e-5, rows + "x" + cols);
                }
            }
            // a zero column (TSV-M padding): not unique, so the SVD path is used
            float[] x = SvdTest.random(r, 8 * 4);
            for (int i = 0; i < 8; i++) {
                x[i * 4 + 3] = 0;
            }
            assertNull(Svd.polarByGram(m.create(x, new Shape(8, 4))));
            float[] p = Svd.polar(m.create(x, new Shape(8, 4))).toFloatArray();
            SvdTest.assertOrthonormalColumns(p, 8, 4);
        }
    }
}
