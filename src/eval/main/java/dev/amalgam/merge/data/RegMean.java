package dev.amalgam.merge.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.amalgam.merge.MergeInputs;
import dev.amalgam.merge.MethodParams;
import dev.amalgam.merge.TensorStep;
import dev.amalgam.model.LinearInputs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * RegMean (docs/methods/data-aware.md §1): per task, the mean Gram matrix of every linear layer's
 * inputs over the first {@code examples} examples, run through that task's fine-tune; each linear
 * weight is then merged in closed form ({@link RegMeanSolve}) and every other tensor is the plain
 * average of the fine-tunes. Defaults are FusionBench's CLIP config: α = 0.95, 256 examples, batch 32.
 * The Gram matrices wait on disk between the pass and the merge ({@link SpillStore}).
 */
public class RegMean extends DataAwareMethod {
    public static final String NAME = "regmean";
    static final dev.amalgam.merge.ParamDef ALPHA = dev.amalgam.merge.ParamDef.global("alpha", dev.amalgam.merge.ParamDef.Type.NUMBER, 0.95,
            "scale of the Gram matrices' off-diagonal entries");
    public static final java.util.List<dev.amalgam.merge.ParamDef> PARAMS = with(common("train", "256", 32), ALPHA);

    protected final double alpha;
    protected SpillStore grams;
    /** Conv1D weights ([in, out], GPT-2) among the tapped linears. */
    protected final java.util.Set<String> inOut = new java.util.HashSet<>();

    public RegMean(MethodParams p) {
        super(p, "train", 256, 32);
        p.checkKnown(PARAMS);
        alpha = p.numberIn(ALPHA, 0, 1);
    }

    public static RegMean fromParams(MethodParams p) {
        return new RegMean(p);
    }


    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return name() + "(alpha=" + alpha + ", examples=" + examples() + ", batch_size=" + batchSize() + ", " + source() + ")";
    }

    @Override
    protected void run(MergeInputs in) {
        grams = new SpillStore(name());
        inOut.clear();
        DataModel model = data().model();
        try (NDManager root = NDManager.newBaseManager()) {
            for (int t = 0; t < in.taskCount(); t++) {
                String task = in.taskNames().get(t);
                try (NDManager m = root.newSubManager()) {
                    TaskWeights w = TaskWeights.of(in.models().get(t), m);
                    GramAccumulator acc = new GramAccumulator(w, n -> !model.sharedWeight(n), m);
                    try (LinearInputs.Installed tap = LinearInputs.install(acc)) {
                        forEachBatch(name() + ": Gram matrices", task, m, (x, bm) -> {
                            acc.startBatch(model.rowMask(x));
                            model.forward(w, task, x);
                            acc.endBatch();
                        });
                    }
                    inOut.addAll(acc.inOutWeights());
                    spill(task, acc.grams());
                }
            }
        }
    }

    protected void spill(String task, Map<String, NDArray> taskGrams) {
        taskGrams.forEach((name, g) -> grams.put(task, name, g));
    }

    @Override
    protected void release() {
        if (grams != null) {
            grams.close();
        }
    }

    /** RegMean for a linear weight every task has a Gram matrix for; the average of the fine-tunes otherwise. */
    @Override
    protected NDArray mergeTensor(TensorStep step) {
        NDManager m = step.manager();
        boolean linear = step.base().getShape().dimension() == 2;
        for (String t : step.taskNames()) {
            linear &= grams.has(t, step.name());
        }
        if (!linear) {
            return step.stackedTaskVectors().mean(new int[] {0}).addi(step.base());
        }
        List<NDArray> weights = new ArrayList<>();
        List<NDArray> g = new ArrayList<>();
        for (int t = 0; t < step.taskCount(); t++) {
            weights.add(step.model(t));
            g.add(grams.get(step.taskNames().get(t), step.name(), m));
        }
        return RegMeanSolve.merge(weights, g, alpha, inOut.contains(step.name()));
    }
}
