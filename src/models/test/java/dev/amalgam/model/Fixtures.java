package dev.amalgam.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

import ai.djl.ndarray.NDList;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Access to the python3-torch reference fixtures under src/testdata/fixtures (see src/scripts/make_model_fixtures.py). */
public final class Fixtures {
    public static final double TOL = 1e-4;

    private Fixtures() {
    }

    public static Path dir(String arch, String kase) {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/" + arch + "/" + kase).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static MapWeights weights(Path dir, NDManager m) {
        return readSafetensors(dir.resolve("model.safetensors"), m);
    }

    public static Map<String, NDArray> expected(Path dir, NDManager m) {
        return readSafetensors(dir.resolve("expected.safetensors"), m).arrays();
    }

    /**
     * Reads a whole safetensors file with DJL's own decoder ({@code NDList.decode}), independent of
     * Amalgam's io reader.
     */
    public static MapWeights readSafetensors(Path file, NDManager manager) {
        try {
            NDList list = NDList.decode(manager, Files.readAllBytes(file));
            Map<String, NDArray> map = new LinkedHashMap<>();
            for (NDArray a : list) {
                map.put(a.getName(), a);
            }
            return new MapWeights(map, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static long[] longs(NDArray a) {
        return a.toType(DataType.INT64, false).toLongArray();
    }

    /** Asserts shape equality and max |actual − expected| ≤ tol; returns the max difference. */
    public static double assertClose(String what, NDArray actual, NDArray expected, double tol) {
        assertArrayEquals(expected.getShape().getShape(), actual.getShape().getShape(), what + " shape");
        double max = actual.toType(DataType.FLOAT64, false).sub(expected.toType(DataType.FLOAT64, false))
                .abs().max().getDouble();
        System.out.printf("PARITY %-40s max|d| = %.3e%n", what, max);
        assertTrue(max <= tol, what + ": max |d| " + max + " > " + tol);
        return max;
    }
}
