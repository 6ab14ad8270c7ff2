package dev.amalgam.merge.lwptv;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.amalgam.merge.TensorStep;

/**
 * Relative task-vector energy per parameter:
 * s[t][l] = (‖τ_t^l‖² / n_l) / (‖τ_t‖² / n). A value of 1 means the layer moved as much per
 * parameter as the task's average; layers far below 1 carry little of the task's update. A layer the
 * task did not change at all scores NaN (nothing to prune).
 */
public final class EnergySaliency implements SaliencyScore {
    private LayerAccumulator energy;
    private LayerAccumulator count;

    @Override
    public void reset() {
        energy = null;
        count = null;
    }
    private double[] totalEnergy;
    private double totalCount;

    @Override
    public String name() {
        return "energy";
    }

    @Override
    public String describe() {
        return "energy (per-parameter ||tau||^2 of the layer relative to the task's whole-model average)";
    }

    @Override
    public void observe(int pass, TensorStep step, int layer) {
        int tasks = step.taskCount();
        if (energy == null) {
            energy = new LayerAccumulator(tasks);
            count = new LayerAccumulator(tasks);
            totalEnergy = new double[tasks];
        }
        long n = step.info().numel();
        for (int t = 0; t < tasks; t++) {
            double e = sumOfSquares(step.taskVector(t));
            energy.add(t, layer, e);
            count.add(t, layer, n);
            totalEnergy[t] += e;
        }
        totalCount += n;
    }

    static double sumOfSquares(NDArray x) {
        try (NDArray d = x.toType(DataType.FLOAT64, false); NDArray sq = d.square(); NDArray s = sq.sum()) {
            return s.getDouble();
        }
    }

    @Override
    public double[][] scores(int layerCount) {
        int tasks = energy == null ? 0 : energy.tasks();
        double[][] s = new double[tasks][layerCount];
        for (int t = 0; t < tasks; t++) {
            double mean = totalEnergy[t] / totalCount;
            for (int l = 0; l < layerCount; l++) {
                double n = count.get(t, l);
                double e = energy.get(t, l);
                s[t][l] = n == 0 || e == 0 ? Double.NaN : (energy.get(t, l) / n) / mean;
            }
        }
        return s;
    }
}
