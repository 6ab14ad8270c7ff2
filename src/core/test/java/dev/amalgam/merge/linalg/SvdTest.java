package dev.amalgam.merge.linalg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The committed TorchScript linalg module against plain-Java checks (reconstruction, orthogonality). */
class SvdTest {

    static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    /** Plain-double C = A·B for row-major float arrays. */
    static double[] matMul(float[] a, float[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (double) a[i * k + p] * b[p * n + j];
                }
                c[i * n + j] = s;
            }
        }
        return c;
    }

    static float[] transpose(float[] a, int m, int n) {
        float[] t = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                t[j * m + i] = a[i * n + j];
            }
        }
        return t;
    }

    @Test
    void resourceIsCommittedAndLoadsInLibtorch() throws Exception {
        try (InputStream in = SvdTest.class.getResourceAsStream(LinalgModule.RESOURCE)) {
            assertNotNull(in, "linalg.pt must be on the classpath");
            byte[] head = in.readNBytes(2);
            assertArrayEquals(new byte[]{'P', 'K'}, head, "a TorchScript archive is a zip");
        }
        try (NDManager m = NDManager.newBaseManager()) {
            try (Svd.Thin f = Svd.thin(m.eye(3).mul(2f))) {
                assertArrayEquals(new float[]{2f, 2f, 2f}, f.s().toFloatArray(), 1e-6f);
            }
        }
    }

    @Test
    void thinSvdReconstructsTallAndWideMatrices() {
        Random r = new Random(1);
        try (NDManager m = NDManager.newBaseManager()) {
            for (int[] mn : new int[][]{{12, 8}, {8, 12}, {7, 7}}) {
                int rows = mn[0], cols = mn[1], k = Math.min(rows, cols);
                float[] x = random(r, rows * cols);
                Svd.Thin f = Svd.thin(m.create(x, new Shape(rows, cols)));
                assertEquals(new Shape(rows, k), f.u().getShape());
                assertEquals(new Shape(k), f.s().getShape());
                assertEquals(new Shape(k, cols), f.vh().getShape());
                float[] s = f.s().toFloatArray();
                for (int i = 1; i < k; i++) {
                    assertTrue(s[i - 1] >= s[i] && s[i] >= 0, "singular values descending, non-negative");
                }
                float[] us = f.u().mul(f.s().reshape(1, k)).toFloatArray();
                double[] rec = matMul(us, f.vh().toFloatArray(), rows, k, cols);
                double err = 0, norm = 0;
                for (int i = 0; i < x.length; i++) {
                    err += (rec[i] - x[i]) * (rec[i] - x[i]);
                    norm += (double) x[i] * x[i];
                }
                assertTrue(Math.sqrt(err / norm) < 1e-5, "relative reconstruction error " + Math.sqrt(err / norm));
                assertOrthonormalColumns(f.u().toFloatArray(), rows, k);
                assertOrthonormalColumns(transpose(f.vh().toFloatArray(), k, cols), cols, k);
            }
        }
    }

    @Test
    void halfPrecisionIsUpcastToF32() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[]{3, 0, 0, 4}, new Shape(2, 2)).toType(DataType.FLOAT16, false);
            Svd.Thin f = Svd.thin(x);
            assertEquals(DataType.FLOAT32, f.s().getDataType());
            assertArrayEquals(new float[]{4f, 3f}, f.s().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void polarFactorIsOrthogonalAndNearest() {
        Random r = new Random(2);
        try (NDManager m = NDManager.newBaseManager()) {
            for (int[] mn : new int[][]{{12, 8}, {8, 12}}) {
                int rows = mn[0], cols = mn[1];
                float[] x = random(r, rows * cols);
                float[] p = Svd.polar(m.create(x, new Shape(rows, cols))).toFloatArray();
                if (rows >= cols) {
                    assertOrthonormalColumns(p, rows, cols);
                } else {
                    assertOrthonormalColumns(transpose(p, rows, cols), cols, rows);
                }
                // Procrustes: trace(Pᵀ X) = nuclear norm of X ≥ trace(Qᵀ X) for the column-normalised X.
                double tp = 0;
                for (int i = 0; i < x.length; i++) {
                    tp += (double) p[i] * x[i];
                }
                double nuclear = 0;
                for (float s : Svd.thin(m.create(x, new Shape(rows, cols))).s().toFloatArray()) {
                    nuclear += s;
                }
                assertEquals(nuclear, tp, 1e-4 * nuclear);
            }
            // polar of an already orthogonal matrix is itself
            float c = (float) Math.cos(0.3), s = (float) Math.sin(0.3);
            float[] rot = {c, -s, s, c};
            assertArrayEquals(rot, Svd.polar(m.create(rot, new Shape(2, 2))).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void eighOfSymmetricMatrix() {
        try (NDManager m = NDManager.newBaseManager()) {
            // [[2,1],[1,2]] has eigenvalues 1 and 3 with eigenvectors (1,-1)/√2 and (1,1)/√2.
            Svd.Eigh e = Svd.eigh(m.create(new float[]{2, 1, 1, 2}, new Shape(2, 2)));
            assertArrayEquals(new float[]{1f, 3f}, e.values().toFloatArray(), 1e-6f);
            float[] v = e.vectors().toFloatArray();
            assertEquals(1.0 / Math.sqrt(2), Math.abs(v[1]), 1e-6);
            assertEquals(Math.abs(v[1]), Math.abs(v[3]), 1e-6);
            assertEquals(Math.signum(v[1]), Math.signum(v[3]), "eigenvector of 3 is ±(1,1)");
        }
    }

    @Test
    void outputsAreOrdinaryTensors() {
        try (NDManager m = NDManager.newBaseManager()) {
            Svd.Thin f = Svd.thin(m.eye(3));
            f.s().addi(1f); // in-place use of the results must be allowed (no inference-tensor restriction)
            assertArrayEquals(new float[]{2f, 2f, 2f}, f.s().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void concurrentCallsShareOneModule() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<float[]>> fs = new java.util.ArrayList<>();
            for (int i = 1; i <= 16; i++) {
                float d = i;
                fs.add(pool.submit(() -> {
                    try (NDManager m = NDManager.newBaseManager()) {
                        // diag(d, 2d, 3d) has singular values 3d, 2d, d.
                        return Svd.thin(m.create(new float[]{d, 0, 0, 0, 2 * d, 0, 0, 0, 3 * d}, new Shape(3, 3))).s().toFloatArray();
                    }
                }));
            }
            for (int i = 1; i <= 16; i++) {
                assertArrayEquals(new float[]{3f * i, 2f * i, i}, fs.get(i - 1).get(), 1e-4f * i);
            }
        } finally {
            pool.shutdown();
        }
    }

    static void assertOrthonormalColumns(float[] a, int rows, int cols) {
        for (int i = 0; i < cols; i++) {
            for (int j = 0; j < cols; j++) {
                double d = 0;
                for (int p = 0; p < rows; p++) {
                    d += (double) a[p * cols + i] * a[p * cols + j];
                }
                assertEquals(i == j ? 1.0 : 0.0, d, 1e-5, "column Gram entry " + i + "," + j);
            }
        }
    }
}
