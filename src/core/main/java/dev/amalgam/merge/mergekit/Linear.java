package dev.amalgam.merge.mergekit;

import dev.amalgam.merge.ParamDef;
import dev.amalgam.AmalgamException;

import java.util.List;

/**
 * MergeKit {@code linear}: Σ_i w_i θ_i over every input model, divided by Σ_i w_i when normalize is on
 * (default). A {@code base_model} is an ordinary input here (MergeKit adds it to the models), so it
 * needs a weight too: its own {@code models:} entry, or a slice/global {@code weight}.
 * Math: docs/methods/mergekit-methods.md §2.
 */
public final class Linear extends MergeKitMethod {
    static final ParamDef WEIGHT = ParamDef.requiredPerModel("weight", ParamDef.Type.NUMBER, "the model's weight");
    static final ParamDef NORMALIZE = ParamDef.global("normalize", ParamDef.Type.BOOLEAN, true, "divide by the summed weights");

    public Linear(TensorParameters params, boolean hasBase) {
        super(params, hasBase);
    }

    @Override
    public String name() {
        return "linear";
    }

    @Override
    protected boolean needsBase() {
        return false;
    }

    @Override
    public List<ParamDef> globalParams() {
        return List.of(NORMALIZE);
    }

    @Override
    public List<ParamDef> modelParams() {
        return List.of(WEIGHT);
    }

    @Override
    protected float[] merge(Inputs in, TensorParameters.Resolved p) {
        int tasks = in.tasks();
        float[] w = new float[tasks + 1];
        for (int i = 0; i <= tasks; i++) {
            w[i] = (float) ((Number) p.model(WEIGHT, i)).doubleValue();
        }
        boolean normalize = p.bool(NORMALIZE);
        float total = 0;
        for (float x : w) {
            total += x;
        }
        float sum = total;
        if (normalize && sum == 0) {
            throw new AmalgamException("linear: weights sum to 0 for tensor " + in.name() + ", cannot normalize");
        }
        float[] base = in.base();
        float[][] d = in.deltas();
        float[] out = new float[in.n()];
        int n = out.length;
        int chunk = 1 << 14;
        java.util.stream.IntStream.range(0, (n + chunk - 1) / chunk).parallel().forEach(c -> {
            for (int i = c * chunk, end = Math.min(n, (c + 1) * chunk); i < end; i++) {
                float acc = 0;
                for (int t = 0; t < tasks; t++) {
                    acc += w[t] * (base[i] + d[t][i]); // θ_t = θ_0 + τ_t, as the executor holds it
                }
                acc += w[tasks] * base[i];
                out[i] = normalize ? acc / sum : acc;
            }
        });
        return out;
    }
}
