package dev.amalgam.merge.data;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.amalgam.AmalgamException;
import dev.amalgam.merge.MergeInputs;
import dev.amalgam.merge.MethodParams;
import dev.amalgam.merge.TensorStep;
import dev.amalgam.report.Progress;
import dev.amalgam.tensor.TensorBridge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * AdaMerging (docs/methods/data-aware.md §4): θ = θ_0 + Σ_t λ_t τ_t with the coefficients learned by
 * minimising the prediction entropy on each task's unlabeled inputs. Task-wise: one λ per task;
 * layer-wise: one λ per task and per tensor the forward pass reads (FusionBench's granularity). Each
 * step builds the merged weights from θ_0 and the task vectors inside the autograd graph, sums the
 * mean entropy of one random batch per task, and takes an Adam step on λ. Defaults are FusionBench's
 * CLIP config: λ₀ = 0.3, Adam lr 1e-3, 1000 steps, batch 16, no clamping, the test split.
 * {@code steps: 0} keeps λ₀, i.e. Task Arithmetic with λ = 0.3.
 */
public final class AdaMerging extends DataAwareMethod {
    public static final String NAME = "adamerging";
    static final dev.amalgam.merge.ParamDef GRANULARITY = dev.amalgam.merge.ParamDef.global("granularity", dev.amalgam.merge.ParamDef.Type.TEXT,
            "layer", "layer: one λ per task and tensor; task: one λ per task");
    static final dev.amalgam.merge.ParamDef INIT = dev.amalgam.merge.ParamDef.global("init", dev.amalgam.merge.ParamDef.Type.NUMBER, 0.3, "λ₀");
    static final dev.amalgam.merge.ParamDef LR = dev.amalgam.merge.ParamDef.global("lr", dev.amalgam.merge.ParamDef.Type.NUMBER, 1e-3, "Adam learning rate");
    static final dev.amalgam.merge.ParamDef STEPS = dev.amalgam.merge.ParamDef.global("steps", dev.amalgam.merge.ParamDef.Type.INTEGER, 1000,
            "Adam steps on the prediction entropy");
    static final dev.amalgam.merge.ParamDef CLAMP = dev.amalgam.merge.ParamDef.global("clamp", dev.amalgam.merge.ParamDef.Type.BOOLEAN, false,
            "use λ clipped to [0, 1]");
    static final dev.amalgam.merge.ParamDef SEED = dev.amalgam.merge.ParamDef.global("seed", dev.amalgam.merge.ParamDef.Type.INTEGER, 0L,
            "seed of the batch sampling");
    public static final java.util.List<dev.amalgam.merge.ParamDef> PARAMS = with(common("test", "all", 16), GRANULARITY, INIT, LR, STEPS,
            CLAMP, SEED);

    private final boolean layerWise;
    private final double init;
    private final double lr;
    private final int steps;
    private final boolean clamp;
    private final long seed;
    /** λ[t][p]: column p is one tensor (layer-wise) or the only column (task-wise). */
    private double[][] lambda;
    private final Map<String, Integer> column = new LinkedHashMap<>();

    public AdaMerging(MethodParams p) {
        super(p, "test", Integer.MAX_VALUE, 16);
        p.checkKnown(PARAMS);
        String g = p.text(GRANULARITY);
        if (!g.equals("layer") && !g.equals("task")) {
            throw new AmalgamException(NAME + ": parameter 'granularity' must be layer or task, got '" + g + "'");
        }
        layerWise = g.equals("layer");
        init = p.number(INIT);
        lr = p.numberIn(LR, 0, Double.MAX_VALUE);
        steps = p.integer(STEPS);
        clamp = p.bool(CLAMP);
        seed = p.getLong(SEED.name(), 0);
        if (steps < 0) {
            throw new AmalgamException(NAME + ": parameter 'steps' must be at least 0, got " + steps);
        }
    }

    @Override
    protected boolean needsLogits() {
        return true;
    }

    public static AdaMerging fromParams(MethodParams p) {
        return new AdaMerging(p);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return NAME + "(granularity=" + (layerWise ? "layer" : "task") + ", init=" + init + ", lr=" + lr + ", steps="
                + steps + ", clamp=" + clamp + ", batch_size=" + batchSize() + ", " + source() + ", seed=" + seed + ")";
    }

    @Override
    protected void run(MergeInputs in) {
        int tasks = in.taskCount();
        column.clear();
        try (NDManager root = NDManager.newBaseManager()) {
            List<String> read = namesRead(in, root);
            for (String n : read) {
                column.put(n, layerWise ? column.size() : 0);
            }
            lambda = new double[tasks][layerWise ? read.size() : 1];
            for (double[] row : lambda) {
                java.util.Arrays.fill(row, init);
            }
            if (steps == 0) {
                return;
            }
            Map<String, NDArray> base = new LinkedHashMap<>();
            Map<String, NDArray> vectors = new LinkedHashMap<>();
            for (String n : read) {
                NDArray b = TensorBridge.toF32(root, in.base(), n);
                NDArray stacked = root.create(new Shape(tasks, b.getShape().size()));
                for (int t = 0; t < tasks; t++) {
                    try (NDArray ft = TensorBridge.toF32(root, in.models().get(t), n); NDArray tv = ft.sub(b)) {
                        stacked.set(new NDIndex(t), tv.reshape(-1));
                    }
                }
                base.put(n, b);
                vectors.put(n, stacked);
            }
            optimise(in, base, vectors, root);
        }
    }

    private void optimise(MergeInputs in, Map<String, NDArray> base, Map<String, NDArray> vectors, NDManager root) {
        int tasks = in.taskCount();
        int cols = lambda[0].length;
        double[][] m1 = new double[tasks][cols];
        double[][] m2 = new double[tasks][cols];
        Random rng = new Random(seed);
        try (Progress bar = Progress.start(NAME + ": entropy minimisation", steps)) {
            for (int k = 1; k <= steps; k++) {
                float[] grad;
                double loss = 0;
                try (NDManager sm = root.newSubManager()) {
                    NDArray lam = sm.create(flat(lambda), new Shape(tasks, cols));
                    lam.setRequiresGradient(true);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray used = clamp ? lam.clip(0, 1) : lam;
                        TaskWeights merged = new TaskWeights(n -> {
                            NDArray coef = used.get(new NDIndex(":, {}", column.get(n))).reshape(1, tasks);
                            NDArray b = base.get(n);
                            return coef.matMul(vectors.get(n)).reshape(b.getShape()).add(b);
                        });
                        NDArray total = null;
                        for (String task : in.taskNames()) {
                            NDArray logits = data().model().logits(merged, task, batch(task, rng, sm));
                            NDArray e = entropy(logits);
                            total = total == null ? e : total.add(e);
                        }
                        gc.backward(total);
                        loss = total.getFloat();
                    }
                    grad = lam.getGradient().toFloatArray();
                }
                adam(grad, m1, m2, k);
                bar.message(String.format("entropy %.4f", loss));
                bar.step();
            }
        }
    }

    /** A random batch of the task's first {@code examples} inputs (FusionBench draws from a shuffled loader). */
    private ai.djl.ndarray.NDList batch(String task, Random rng, NDManager m) {
        TaskExamples ex = data().examples(task, NAME);
        int n = Math.min(examples(), ex.size());
        int size = Math.min(batchSize(), n);
        int from = n == size ? 0 : rng.nextInt(n - size + 1);
        return ex.batch(from, from + size, m);
    }

    /** Mean over the batch of −Σ_c p_c log(p_c + 1e-8), FusionBench's entropy_loss. */
    static NDArray entropy(NDArray logits) {
        NDArray p = logits.softmax(-1);
        return p.mul(p.add(1e-8f).log()).sum(new int[] {-1}).mean().neg();
    }

    /** One Adam update (PyTorch's defaults: β = (0.9, 0.999), ε = 1e-8, bias-corrected). */
    private void adam(float[] grad, double[][] m1, double[][] m2, int k) {
        double b1 = 0.9;
        double b2 = 0.999;
        int cols = lambda[0].length;
        for (int t = 0; t < lambda.length; t++) {
            for (int c = 0; c < cols; c++) {
                double g = grad[t * cols + c];
                m1[t][c] = b1 * m1[t][c] + (1 - b1) * g;
                m2[t][c] = b2 * m2[t][c] + (1 - b2) * g * g;
                double mh = m1[t][c] / (1 - Math.pow(b1, k));
                double vh = m2[t][c] / (1 - Math.pow(b2, k));
                lambda[t][c] -= lr * mh / (Math.sqrt(vh) + 1e-8);
            }
        }
    }

    private static float[] flat(double[][] a) {
        float[] f = new float[a.length * a[0].length];
        for (int t = 0; t < a.length; t++) {
            for (int c = 0; c < a[t].length; c++) {
                f[t * a[t].length + c] = (float) a[t][c];
            }
        }
        return f;
    }

    /** The tensors one forward pass reads, in order (one example of the first task, through the base). */
    private List<String> namesRead(MergeInputs in, NDManager root) {
        String task = in.taskNames().get(0);
        try (NDManager m = root.newSubManager()) {
            TaskWeights w = TaskWeights.of(in.base(), m);
            data().model().logits(w, task, data().examples(task, NAME).batch(0, 1, m));
            return new ArrayList<>(w.built().keySet());
        }
    }

    /** λ_t of one tensor after {@link #prepare}: learned when the forward reads it, else λ₀ (layer-wise) or the task's λ. */
    double lambda(int task, String tensor) {
        Integer c = column.get(tensor);
        double v = c != null ? lambda[task][c] : layerWise ? init : lambda[task][0];
        return clamp ? Math.max(0, Math.min(1, v)) : v;
    }

    @Override
    protected void release() {
        // λ is a few numbers; nothing to free
    }

    @Override
    protected NDArray mergeTensor(TensorStep step) {
        NDArray out = step.base().duplicate();
        for (int t = 0; t < step.taskCount(); t++) {
            try (NDArray scaled = step.taskVector(t).mul((float) lambda(t, step.name()))) {
                out.addi(scaled);
            }
        }
        return out;
    }
}
