package dev.amalgam.merge.mergekit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.amalgam.merge.TensorStep;
import dev.amalgam.merge.ops.CounterRng;
import dev.amalgam.merge.ops.MergeFunction;
import dev.amalgam.merge.stages.Combine;
import dev.amalgam.merge.stages.Dropout;
import dev.amalgam.merge.stages.MagnitudeTrim;
import dev.amalgam.merge.stages.RankedDrop;

/**
 * Generalized task arithmetic on whole arrays, for a merge device that is not the CPU: the stages'
 * whole-array forms (DARE's drop {@link Dropout}, the exact-count band {@link MagnitudeTrim#keepRankBand},
 * DELLA's drop {@link RankedDrop}, the consensus {@link Combine#applyInOrder}) in the order and with the
 * float operations of the fused kernel ({@link GtaKernel}): x_t = w_t·(f_t·sparsify(τ_t)),
 * θ = θ_0 + λ·combine(x). Same draws, same ranks; the L1 norms of the rescale are summed in F64 by
 * libtorch, so a factor can differ from the kernel's in its last bit only when the two F64 sums round
 * to different floats.
 */
final class GtaWholeArray {
    /** Runs this form on the CPU too (tests compare it with the kernel and the staged form). */
    static boolean forceOnCpu;

    private GtaWholeArray() {
    }

    /** Whether a step takes this form: its arrays live off the CPU, or {@link #forceOnCpu}. */
    static boolean applies(TensorStep step) {
        return forceOnCpu || !"cpu".equals(step.base().getDevice().getDeviceType());
    }

    /**
     * θ for this step, or null where the staged path has to run it (the cases {@link GtaKernel#merge}
     * leaves to it: a count consensus, normalisation without consensus, non-positive weights under
     * dis-mean, a band that keeps nothing, a NaN in a task vector).
     */
    static NDArray merge(GeneralizedTaskArithmetic.Variant variant, TensorStep step, GtaKernel.Settings s) {
        GeneralizedTaskArithmetic.Consensus consensus = variant.consensus();
        if (GtaKernel.stagedOnly(variant, s)) {
            return null;
        }
        int tasks = step.taskCount();
        NDArray stacked = step.stackedTaskVectors();
        if (stacked.isNaN().any().getBoolean()) {
            return null;
        }
        int n = (int) step.base().getShape().size();
        Sparsifier sp = variant.sparsifier();
        long[][] bands = sp == Sparsifier.MAGNITUDE || sp == Sparsifier.MAGNITUDE_OUTLIERS ? GtaKernel.bands(sp, s, n, tasks) : null;
        if (bands == null && (sp == Sparsifier.MAGNITUDE || sp == Sparsifier.MAGNITUDE_OUTLIERS)) {
            return null;
        }
        NDArray dropped = null;
        if (sp == Sparsifier.RANDOM) {
            double[] p = new double[tasks];
            for (int t = 0; t < tasks; t++) {
                p[t] = s.density()[t] >= 1 ? 0 : 1 - s.density()[t];
            }
            dropped = Dropout.perTask(s.seed(), step.name(), p).apply(stacked);
        }
        NDArray[] x = new NDArray[tasks];
        for (int t = 0; t < tasks; t++) {
            NDArray tau = stacked.get(t);
            NDArray sparse = tau;
            float f = 1f;
            if (sp == Sparsifier.RANDOM) {
                sparse = dropped.get(t);
                f = s.rescale() ? factor(tau, sparse, s.density()[t]) : 1f;
            } else if (bands != null) {
                sparse = MagnitudeTrim.keepRankBand(tau, bands[t][0], bands[t][1], bands[t][1] == n);
                f = s.rescale() ? factor(tau, sparse, s.density()[t]) : 1f;
            } else if (sp == Sparsifier.DELLA_MAGPRUNE && s.density()[t] < 1) {
                sparse = della(step, tau, s, t);
                f = s.rescale() ? factor(tau, sparse, 0) : 1f;
            }
            x[t] = (f != 1f ? sparse.mul(f) : sparse).mul((float) s.weights()[t]);
        }
        Combine combine = consensus == null ? Combine.sum()
                : Combine.ties(s.normalize() ? MergeFunction.DIS_MEAN : MergeFunction.DIS_SUM, s.weights(), 1f);
        return combine.applyInOrder(x).mul((float) s.lambda()).add(step.base());
    }

    private static NDArray della(TensorStep step, NDArray tau, GtaKernel.Settings s, int t) {
        if (s.density()[t] <= 0) {
            return tau.zerosLike();
        }
        int n = (int) tau.getShape().size();
        int[] rows = Sparsifier.dellaRows(s.method(), step.name(), step.info().shape(), n, s.density()[t], s.epsilon()[t]);
        return RankedDrop.apply(tau, rows[0], rows[1], rows[2], s.density()[t], s.epsilon()[t],
                new CounterRng(s.seed(), step.name(), t));
    }

    /** MergeKit's L1 rescale factor: ‖τ‖₁ / ‖sparse‖₁, 1 for a whole task or when either norm is below 1e-7. */
    private static float factor(NDArray tau, NDArray sparse, double density) {
        if (density >= 1) {
            return 1f;
        }
        double before = tau.toType(DataType.FLOAT64, false).abs().sum().getDouble();
        double after = sparse.toType(DataType.FLOAT64, false).abs().sum().getDouble();
        return before >= 1e-7 && after >= 1e-7 ? (float) (before / after) : 1f;
    }
}
