package dev.amalgam.merge.lwptv;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.amalgam.merge.TensorStep;

/**
 * Cross-task redundancy: how much of task t's layer update is already pointed at by the other tasks.
 * With S = Σ_j τ_j and o_t = S − τ_t (the rest of the pool), per layer
 * cos_t^l = ⟨τ_t^l, o_t^l⟩ / (‖τ_t^l‖ ‖o_t^l‖) and s[t][l] = 1 − max(0, cos_t^l).
 * s near 0: the layer's update is redundant with the others (pruning it loses little);
 * s = 1: orthogonal or conflicting, i.e. specific to the task. With one task, s = 1 everywhere.
 */
public final class RedundancySaliency implements SaliencyScore {
    private LayerAccumulator dot;
    private LayerAccumulator selfSq;
    private LayerAccumulator otherSq;
    private LayerAccumulator seen;

    @Override
    public void reset() {
        dot = null;
        selfSq = null;
        otherSq = null;
        seen = null;
    }

    @Override
    public String name() {
        return "redundancy";
    }

    @Override
    public String describe() {
        return "redundancy (1 - max(0, cos(tau_t, sum of the other tasks' tau)) per layer)";
    }

    @Override
    public void observe(int pass, TensorStep step, int layer) {
        int tasks = step.taskCount();
        if (dot == null) {
            dot = new LayerAccumulator(tasks);
            selfSq = new LayerAccumulator(tasks);
            otherSq = new LayerAccumulator(tasks);
            seen = new LayerAccumulator(tasks);
        }
        try (NDArray sum = sumOf(step)) {
            for (int t = 0; t < tasks; t++) {
                try (NDArray tv = step.taskVector(t).toType(DataType.FLOAT64, false);
                     NDArray other = sum.sub(tv)) {
                    dot.add(t, layer, scalar(tv.mul(other).sum()));
                    selfSq.add(t, layer, scalar(tv.square().sum()));
                    otherSq.add(t, layer, scalar(other.square().sum()));
                    seen.add(t, layer, 1);
                }
            }
        }
    }

    private static NDArray sumOf(TensorStep step) {
        NDArray acc = step.taskVector(0).toType(DataType.FLOAT64, true);
        for (int t = 1; t < step.taskCount(); t++) {
            try (NDArray x = step.taskVector(t).toType(DataType.FLOAT64, false)) {
                acc.addi(x);
            }
        }
        return acc;
    }

    private static double scalar(NDArray a) {
        try (a) {
            return a.getDouble();
        }
    }

    @Override
    public double[][] scores(int layerCount) {
        int tasks = dot == null ? 0 : dot.tasks();
        double[][] s = new double[tasks][layerCount];
        for (int t = 0; t < tasks; t++) {
            for (int l = 0; l < layerCount; l++) {
                if (seen.get(t, l) == 0 || selfSq.get(t, l) == 0) { // unseen, or unchanged by the task
                    s[t][l] = Double.NaN;
                    continue;
                }
                double denom = Math.sqrt(selfSq.get(t, l) * otherSq.get(t, l));
                double cos = denom == 0 ? 0.0 : dot.get(t, l) / denom;
                s[t][l] = 1.0 - Math.max(0.0, cos);
            }
        }
        return s;
    }
}
