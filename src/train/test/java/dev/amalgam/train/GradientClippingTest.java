package dev.amalgam.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class GradientClippingTest {

    @Test
    void scalesAllGradientsByMaxNormOverGlobalNorm() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {3, 4});
            NDArray b = m.create(new float[][] {{12}});
            // global norm sqrt(9 + 16 + 144) = 13; factor 6.5 / (13 + 1e-6)
            double norm = GradientClipping.clipGlobalNorm(List.of(a, b), 6.5);
            assertEquals(13.0, norm, 1e-6);
            double f = 6.5 / (13 + 1e-6);
            assertArrayEquals(new float[] {(float) (3 * f), (float) (4 * f)}, a.toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {(float) (12 * f)}, b.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void leavesSmallGradientsAlone() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {0.3f, -0.4f});
            assertEquals(0.5, GradientClipping.clipGlobalNorm(List.of(a), 1.0), 1e-6);
            assertArrayEquals(new float[] {0.3f, -0.4f}, a.toFloatArray(), 0f);
            assertEquals(0.5, GradientClipping.clipGlobalNorm(List.of(a), 0), 1e-6);
            assertArrayEquals(new float[] {0.3f, -0.4f}, a.toFloatArray(), 0f);
        }
    }
}
