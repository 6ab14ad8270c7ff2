package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.io.DType;
import dev.amalgam.io.TensorInfo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * A tiny test-only executor over in-memory tensors: runs a method's statistic passes (sorted tensor
 * order, one NDManager per step, closed at its end) and then merge/modulate. The streaming executor
 * replaces it in production; tests of merge methods use it.
 */
public final class InMemoryMergeDriver {
    private static final NDManager ROOT = NDManager.newBaseManager();

    /** One tensor: θ_0 and the task vectors τ_t (not fine-tuned weights), all flat in row-major order. */
    public record Tensor(String name, long[] shape, float[] base, List<float[]> tasks) {
        public int size() {
            return base.length;
        }
    }

    /** Per tensor: the T reconstructed task models θ_0 + scale_t · (mask_t ⊙ shared). */
    public record TaskModels(float[][] models, float[] shared, boolean[][] masks) {
    }

    private InMemoryMergeDriver() {
    }

    public static List<Tensor> sorted(List<Tensor> tensors) {
        List<Tensor> s = new ArrayList<>(tensors);
        s.sort(Comparator.comparing(Tensor::name));
        return s;
    }

    /** Builds a step for x on a fresh sub-manager, applies f, closes the manager. */
    public static <R> R withStep(Tensor x, Function<TensorStep, R> f) {
        return withStep(x, true, f);
    }

    /** As {@link #withStep(Tensor, Function)}; {@code kernels=false} makes methods take their whole-array path. */
    public static <R> R withStep(Tensor x, boolean kernels, Function<TensorStep, R> f) {
        try (NDManager m = ROOT.newSubManager()) {
            Shape shape = new Shape(x.shape());
            NDArray base = m.create(x.base(), shape);
            List<NDArray> tvs = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int t = 0; t < x.tasks().size(); t++) {
                tvs.add(m.create(x.tasks().get(t), shape));
                names.add("task" + t);
            }
            TensorStep step = new TensorStep(new TensorInfo(x.name(), DType.F32, x.shape()), "g", m, base, tvs, names);
            return f.apply(kernels ? step : step.withoutKernels());
        }
    }

    public static void runPasses(MergeMethod method, List<Tensor> tensors) {
        runPasses(method, tensors, true);
    }

    public static void runPasses(MergeMethod method, List<Tensor> tensors, boolean kernels) {
        List<Tensor> s = sorted(tensors);
        for (StatisticPass pass : method.statisticPasses()) {
            for (Tensor x : s) {
                withStep(x, kernels, step -> {
                    pass.observe(step);
                    return null;
                });
            }
            pass.end();
        }
    }

    /** Statistic passes, then merge of every tensor: name → merged θ (flat). */
    public static Map<String, float[]> merge(MergeMethod method, List<Tensor> tensors) {
        return merge(method, tensors, true);
    }

    /** As {@link #merge(MergeMethod, List)}; {@code kernels=false} takes the whole-array path. */
    public static Map<String, float[]> merge(MergeMethod method, List<Tensor> tensors, boolean kernels) {
        runPasses(method, tensors, kernels);
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Tensor x : sorted(tensors)) {
            out.put(x.name(), withStep(x, kernels, step -> {
                NDArray r = method.merge(step);
                if (r.getDataType() != DataType.FLOAT32) {
                    throw new AssertionError("merge must return F32, got " + r.getDataType());
                }
                if (!r.getShape().equals(new Shape(x.shape()))) {
                    throw new AssertionError("merge changed the shape of " + x.name() + ": " + r.getShape());
                }
                return r.toFloatArray();
            }));
        }
        return out;
    }

    /** Statistic passes, then the per-task models of a task-modulated method. */
    public static Map<String, TaskModels> taskModels(TaskModulated method, List<Tensor> tensors) {
        return taskModels(method, tensors, true);
    }

    public static Map<String, TaskModels> taskModels(TaskModulated method, List<Tensor> tensors, boolean kernels) {
        runPasses(method, tensors, kernels);
        Map<String, TaskModels> out = new LinkedHashMap<>();
        for (Tensor x : sorted(tensors)) {
            out.put(x.name(), withStep(x, kernels, step -> {
                TaskModulated.Modulation mod = method.modulate(step);
                double[] scales = method.taskScales();
                int tasks = mod.masks().length;
                float[][] models = new float[tasks][];
                boolean[][] masks = new boolean[tasks][];
                for (int t = 0; t < tasks; t++) {
                    NDArray m = mod.masks()[t];
                    models[t] = step.base().add(mod.shared().mul(m.toType(DataType.FLOAT32, false))
                            .mul((float) scales[t])).toFloatArray();
                    masks[t] = m.toBooleanArray();
                }
                return new TaskModels(models, mod.shared().toFloatArray(), masks);
            }));
        }
        return out;
    }

    /** Random tensor with Gaussian base and task vectors of scale {@code scale}. */
    public static Tensor random(String name, long[] shape, int tasks, long seed, double scale) {
        Random r = new Random(seed);
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        float[] base = new float[n];
        for (int i = 0; i < n; i++) {
            base[i] = (float) r.nextGaussian();
        }
        List<float[]> tvs = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) (r.nextGaussian() * scale);
            }
            tvs.add(v);
        }
        return new Tensor(name, shape, base, tvs);
    }

    /** The standard small fixture: 3 tasks × shapes [4,5] and [7]. */
    public static List<Tensor> small(int tasks, long seed) {
        return List.of(random("b.weight", new long[]{4, 5}, tasks, seed, 0.1),
                random("a.bias", new long[]{7}, tasks, seed + 1, 0.1));
    }
}
