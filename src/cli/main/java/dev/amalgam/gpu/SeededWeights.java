package dev.amalgam.gpu;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.AmalgamException;
import dev.amalgam.model.ModelWeights;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random weights made in Java from (seed, tensor name), so every device gets the same numbers (DJL's
 * RNG draws differently on CPU and GPU): N(0, 0.05²) matrices and embeddings, N(0, 0.02²) biases,
 * norm scales 1 + N(0, 0.1²), CLIP's {@code logit_scale} ln(1/0.07). Arrays are F32 on the manager's
 * device, cast to {@code dtype} when it is another.
 */
public final class SeededWeights implements ModelWeights {
    private final Map<String, Shape> shapes;
    private final long seed;
    private final DataType dtype;

    public SeededWeights(Map<String, Shape> shapes, long seed, DataType dtype) {
        this.shapes = shapes;
        this.seed = seed;
        this.dtype = dtype;
    }

    public SeededWeights(Map<String, Shape> shapes, long seed) {
        this(shapes, seed, DataType.FLOAT32);
    }

    @Override
    public java.util.Set<String> names() {
        return shapes.keySet();
    }

    @Override
    public NDArray load(String name, NDManager manager) {
        Shape shape = shapes.get(name);
        if (shape == null) {
            throw new AmalgamException(describe() + ": missing tensor '" + name + "'");
        }
        NDArray a = manager.create(values(name, shape.size()), shape);
        if (dtype == DataType.FLOAT32) {
            return a;
        }
        NDArray cast = a.toType(dtype, false);
        a.close();
        return cast;
    }

    /** The F32 values of tensor {@code name} with {@code n} elements. */
    public float[] values(String name, long n) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + name.hashCode());
        float[] v = new float[Math.toIntExact(n)];
        boolean norm = name.contains("norm") || name.contains("ln_") || name.contains("LayerNorm");
        if (name.equals("logit_scale")) {
            java.util.Arrays.fill(v, (float) Math.log(1 / 0.07));
        } else if (name.endsWith("bias")) {
            fill(v, r, 0, 0.02);
        } else if (norm) {
            fill(v, r, 1, 0.1);
        } else {
            fill(v, r, 0, 0.05);
        }
        return v;
    }

    private static void fill(float[] v, SplittableRandom r, double mean, double std) {
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean + std * gaussian(r));
        }
    }

    /** Box–Muller: SplittableRandom has no nextGaussian on Java 17. */
    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    @Override
    public String describe() {
        return "gpu-check seeded weights (seed " + seed + ")";
    }
}
