package dev.amalgam.merge.data;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.amalgam.merge.MergeInputs;
import dev.amalgam.merge.MethodParams;
import dev.amalgam.merge.TensorStep;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fisher merging (docs/methods/data-aware.md §3): per task, the diagonal Fisher information of its
 * fine-tune, estimated as FusionBench does — per batch, the squared gradient of
 * Σ_b Σ_c √p̂_bc · log p_bc (p̂ the model's own predicted distribution, held constant), summed over
 * batches and divided by the examples — then θ = Σ_t c_t F_t θ_t / Σ_t c_t F_t elementwise, with
 * F_t + ε and c_t = 1/T, or with {@code normalize} c_t ∝ 1/‖F_t‖ (the task's Fisher norm over all its
 * tensors). Tensors the forward pass never reads are averaged. Defaults: FusionBench's CLIP config.
 */
public final class FisherMerging extends DataAwareMethod {
    public static final String NAME = "fisher_merging";
    static final dev.amalgam.merge.ParamDef NORMALIZE = dev.amalgam.merge.ParamDef.global("normalize", dev.amalgam.merge.ParamDef.Type.BOOLEAN,
            true, "weight each task by the inverse norm of its Fisher (FusionBench)");
    static final dev.amalgam.merge.ParamDef MIN_FISHER = dev.amalgam.merge.ParamDef.global("min_fisher", dev.amalgam.merge.ParamDef.Type.NUMBER,
            1e-6, "ε added to every Fisher value");
    public static final java.util.List<dev.amalgam.merge.ParamDef> PARAMS = with(common("train", "256", 32), NORMALIZE, MIN_FISHER);

    private final boolean normalize;
    private final double minFisher;
    private SpillStore fisher;
    private final Map<String, Double> norms = new LinkedHashMap<>();

    public FisherMerging(MethodParams p) {
        super(p, "train", 256, 32);
        p.checkKnown(PARAMS);
        normalize = p.bool(NORMALIZE);
        minFisher = p.numberIn(MIN_FISHER, 0, Double.MAX_VALUE);
    }

    @Override
    protected boolean needsLogits() {
        return true;
    }

    public static FisherMerging fromParams(MethodParams p) {
        return new FisherMerging(p);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return NAME + "(normalize=" + normalize + ", min_fisher=" + minFisher + ", examples=" + examples()
                + ", batch_size=" + batchSize() + ", " + source() + ")";
    }

    @Override
    protected void run(MergeInputs in) {
        fisher = new SpillStore(NAME);
        norms.clear();
        try (NDManager root = NDManager.newBaseManager()) {
            for (int t = 0; t < in.taskCount(); t++) {
                String task = in.taskNames().get(t);
                try (NDManager m = root.newSubManager()) {
                    TaskWeights stored = TaskWeights.of(in.models().get(t), m);
                    Map<String, NDArray> sums = new LinkedHashMap<>();
                    int[] seen = {0};
                    forEachBatch(NAME + ": Fisher information", task, m, (x, bm) -> {
                        // fresh leaves per batch: each batch's gradient is squared on its own
                        TaskWeights leaves = new TaskWeights(n -> {
                            NDArray a = stored.get(n).duplicate();
                            a.attach(bm);
                            a.setRequiresGradient(true);
                            return a;
                        });
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            NDArray logits = data().model().logits(leaves, task, x);
                            NDArray p = logits.softmax(-1).stopGradient();
                            gc.backward(p.sqrt().mul(logits.logSoftmax(-1)).sum());
                        }
                        for (Map.Entry<String, NDArray> e : leaves.built().entrySet()) {
                            if (!e.getValue().hasGradient()) {
                                continue; // read but not on the path to the logits
                            }
                            NDArray sq = e.getValue().getGradient().square();
                            NDArray sum = sums.get(e.getKey());
                            if (sum == null) {
                                sq.attach(m);
                                sums.put(e.getKey(), sq);
                            } else {
                                sum.addi(sq);
                            }
                        }
                        seen[0] += (int) x.get(0).getShape().get(0);
                    });
                    double sq = 0;
                    for (Map.Entry<String, NDArray> e : sums.entrySet()) {
                        NDArray f = e.getValue().divi((float) seen[0]);
                        try (NDArray s = f.square().sum()) {
                            sq += s.getFloat();
                        }
                        fisher.put(task, e.getKey(), f);
                    }
                    norms.put(task, Math.sqrt(sq));
                }
            }
        }
    }

    @Override
    protected void release() {
        if (fisher != null) {
            fisher.close();
        }
    }

    /** c_t: 1/T, times the normalised inverse Fisher norms when {@code normalize}. */
    double[] coefficients(java.util.List<String> tasks) {
        double[] c = new double[tasks.size()];
        double total = 0;
        for (int t = 0; t < c.length; t++) {
            c[t] = normalize ? 1.0 / (norms.get(tasks.get(t)) + minFisher) : 1.0;
            total += c[t];
        }
        for (int t = 0; t < c.length; t++) {
            c[t] = (normalize ? c[t] / total : 1.0) / c.length;
        }
        return c;
    }

    @Override
    protected NDArray mergeTensor(TensorStep step) {
        boolean all = true;
        for (String t : step.taskNames()) {
            all &= fisher.has(t, step.name());
        }
        if (!all) {
            return step.stackedTaskVectors().mean(new int[] {0}).addi(step.base());
        }
        NDManager m = step.manager();
        double[] c = coefficients(step.taskNames());
        NDArray num = null;
        NDArray den = null;
        for (int t = 0; t < step.taskCount(); t++) {
            NDArray w = fisher.get(step.taskNames().get(t), step.name(), m).addi((float) minFisher).muli((float) c[t]);
            NDArray wt = w.mul(step.model(t));
            if (num == null) {
                num = wt;
                den = w;
            } else {
                num.addi(wt);
                den.addi(w);
            }
        }
        return num.divi(den);
    }

    /** The task's diagonal Fisher of one tensor after {@link #prepare}, or null when the forward never reads it (tests). */
    NDArray fisher(String task, String tensor, NDManager m) {
        return fisher.has(task, tensor) ? fisher.get(task, tensor, m) : null;
    }
}
