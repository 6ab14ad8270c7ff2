package dev.amalgam.merge.ops;

import ai.djl.ndarray.NDArray;

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
        if (weights == null || allOne(weights)) {
            return stacked.sum(new int[]{0});
        }
        return stacked.mul(perTask(stacked, weights)).sum(new int[]{0});
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

    private static boolean allOne(double[] w) {
        for (double v : w) {
            if (v != 1.0) {
                return false;
            }
        }
        return true;
    }
}
