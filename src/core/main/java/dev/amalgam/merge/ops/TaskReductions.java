package dev.amalgam.merge.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;

/**
 * Whole-tensor reductions over the task axis of stacked task vectors [T, ...] (one native op each
 * instead of T accumulations with a temporary per task).
 */
public final class TaskReductions {
    private TaskReductions() {
    }

    /** Σ_t w_t x_t over axis 0 (weights null = all 1), shape of one row. */
    public static NDArray weightedSum(NDArray stacked, double[] weights) {
        if (weights == null || allEqual(weights, 1.0)) {
            return stacked.sum(new int[]{0});
        }
        if (allEqual(weights, weights[0])) {
            return stacked.sum(new int[]{0}).muli((float) weights[0]);
        }
        Shape row = stacked.getShape().slice(1);
        if (row.size() == 0) {
            return stacked.getManager().zeros(row);
        }
        // [1, T] × [T, n]: one pass over the stacked array, no [T, n] temporary.
        float[] w = new float[weights.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) weights[i];
        }
        NDArray wRow = stacked.getManager().create(w).reshape(1, w.length);
        return wRow.matMul(stacked.reshape(w.length, row.size())).reshape(row);
    }

    /**
     * max_t x_t over axis 0, as T − 1 elementwise maxima of rows (exact; several times faster in
     * libtorch on CPU than max over a dimension, which also computes arg-max indices).
     */
    public static NDArray max(NDArray stacked) {
        long tasks = stacked.getShape().get(0);
        if (tasks < 2) {
            return tasks == 1 ? stacked.get(0).duplicate() : stacked.max(new int[]{0});
        }
        NDArray acc = stacked.get(0).maximum(stacked.get(1));
        for (long t = 2; t < tasks; t++) {
            acc = acc.maximum(stacked.get(t));
        }
        return acc;
    }

    /** values as an F32 [T, 1, ..., 1] array that broadcasts against {@code stacked}. */
    public static NDArray perTask(NDArray stacked, double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return perTask(stacked, f);
    }

    /** values as an F32 [T, 1, ..., 1] array that broadcasts against {@code stacked}. */
    public static NDArray perTask(NDArray stacked, float[] values) {
        long[] shape = new long[stacked.getShape().dimension()];
        Arrays.fill(shape, 1L);
        shape[0] = values.length;
        return stacked.getManager().create(values).reshape(shape);
    }

    private static boolean allEqual(double[] w, double value) {
        for (double v : w) {
            if (v != value) {
                return false;
            }
        }
        return true;
    }
}
