package dev.amalgam.merge;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.io.DType;
import dev.amalgam.io.InMemoryTensorSource;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.io.TensorSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Merges test tensors given as θ_0 and task vectors through the production {@link StreamingExecutor}
 * (statistic passes, joint groups, task modulation and all) over {@link InMemoryTensorSource}s into an
 * {@link InMemorySink}: the tests of merge methods run the path a real merge runs. The executor sees
 * θ_t = fl(θ_0 + τ_t) and computes τ_t back as fl(θ_t − θ_0), so inputs it is given may differ from τ_t
 * by one rounding; references that must be bit-exact are built from {@link #roundTripped}.
 */
public final class InMemoryMergeDriver {
    private static final NDManager ROOT = NDManager.newBaseManager();

    /** One tensor: θ_0 and the task vectors τ_t (not fine-tuned weights), all flat in row-major order. */
    public record Tensor(String name, long[] shape, float[] base, List<float[]> tasks) {
        public int size() {
            return base.length;
        }
    }

    /** One unnamed tensor (the name is its map key): shape, θ_0 and the task vectors τ_t. */
    public record Values(long[] shape, float[] base, List<float[]> taskVectors) {
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

    /** The base and the T fine-tuned models θ_t = θ_0 + τ_t as in-memory sources named task0, task1, …. */
    public static MergeInputs inputs(List<Tensor> tensors) {
        InMemoryTensorSource base = new InMemoryTensorSource("base");
        int tasks = tensors.get(0).tasks().size();
        List<TensorSource> models = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            InMemoryTensorSource model = new InMemoryTensorSource("task" + t);
            for (Tensor x : tensors) {
                float[] theta = new float[x.size()];
                for (int i = 0; i < theta.length; i++) {
                    theta[i] = x.base()[i] + x.tasks().get(t)[i];
                }
                model.f32(x.name(), x.shape(), theta);
            }
            models.add(model);
            names.add("task" + t);
        }
        for (Tensor x : tensors) {
            base.f32(x.name(), x.shape(), x.base());
        }
        return new MergeInputs(base, models, names);
    }

    /** The same tensors with τ_t replaced by fl(fl(θ_0 + τ_t) − θ_0), the task vectors the executor sees. */
    public static List<Tensor> roundTripped(List<Tensor> tensors) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor x : tensors) {
            List<float[]> tvs = new ArrayList<>();
            for (float[] tv : x.tasks()) {
                float[] v = new float[tv.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (x.base()[i] + tv[i]) - x.base()[i];
                }
                tvs.add(v);
            }
            out.add(new Tensor(x.name(), x.shape(), x.base(), tvs));
        }
        return out;
    }

    /** Runs the executor (fused kernels on or off) and returns what the sink kept. */
    public static InMemorySink run(MergeMethod method, List<Tensor> tensors, boolean kernels) {
        StreamingExecutor executor = new StreamingExecutor(Device.cpu(), n -> "g", true, StreamingExecutor.Progress.NONE);
        if (!kernels) {
            executor.wholeArrayOps();
        }
        InMemorySink sink = new InMemorySink();
        executor.run(method, inputs(tensors), sink);
        return sink;
    }

    /** Builds a step for x on a fresh sub-manager, applies f, closes the manager (for tests of one step). */
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

    /** Merges every tensor: name → merged θ (flat). A task-modulated method gives its collapsed merge. */
    public static Map<String, float[]> merge(MergeMethod method, List<Tensor> tensors) {
        return merge(method, tensors, true);
    }

    /** As {@link #merge(MergeMethod, List)}; {@code kernels=false} takes the whole-array path. */
    public static Map<String, float[]> merge(MergeMethod method, List<Tensor> tensors, boolean kernels) {
        return run(collapsed(method), tensors, kernels).merged();
    }

    /** As {@link #merge(MergeMethod, List)} for tensors keyed by name. */
    public static Map<String, float[]> merge(MergeMethod method, Map<String, Values> tensors) {
        List<Tensor> list = new ArrayList<>();
        tensors.forEach((n, v) -> list.add(new Tensor(n, v.shape(), v.base(), v.taskVectors())));
        return merge(method, list);
    }

    /** The per-task models of a task-modulated method. */
    public static Map<String, TaskModels> taskModels(TaskModulated method, List<Tensor> tensors) {
        return taskModels(method, tensors, true);
    }

    public static Map<String, TaskModels> taskModels(TaskModulated method, List<Tensor> tensors, boolean kernels) {
        InMemorySink sink = run(method, tensors, kernels);
        double[] scales = method.taskScales();
        Map<String, TaskModels> out = new LinkedHashMap<>();
        for (Tensor x : sorted(tensors)) {
            float[] shared = sink.shared().get(x.name());
            List<boolean[]> masks = sink.masks().get(x.name());
            float[][] models = new float[masks.size()][];
            for (int t = 0; t < models.length; t++) {
                models[t] = new float[shared.length];
                for (int i = 0; i < shared.length; i++) {
                    models[t][i] = x.base()[i] + (masks.get(t)[i] ? shared[i] : 0f) * (float) scales[t];
                }
            }
            out.put(x.name(), new TaskModels(models, shared, masks.toArray(new boolean[0][])));
        }
        return out;
    }

    /** A task-modulated method seen as a plain one, so the executor asks for its single merged tensor. */
    private static MergeMethod collapsed(MergeMethod method) {
        if (!(method instanceof TaskModulated)) {
            return method;
        }
        return new MergeMethod() {
            public String name() {
                return method.name();
            }

            public String describe() {
                return method.describe();
            }

            public List<StatisticPass> statisticPasses() {
                return method.statisticPasses();
            }

            public NDArray merge(TensorStep step) {
                return method.merge(step);
            }
        };
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
