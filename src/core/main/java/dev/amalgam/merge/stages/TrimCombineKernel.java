package dev.amalgam.merge.stages;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.nio.FloatBuffer;
import java.util.List;

/**
 * The fused pass behind Task Arithmetic's sparsified relatives (DARE, TIES, Breadcrumbs and their
 * combinations): per element, in one read of the T task vectors,
 * x_t = w_t · (f_t · trim_t(drop_t(τ_t))), delta = combine(x), θ = θ_0 + scale · delta.
 * Each stage is optional. The element formulas are those of the whole-array path (drop:
 * {@link Dropout}, trim: {@link MagnitudeTrim}, combine: {@link Combine}).
 */
public final class TrimCombineKernel {
    private final Dropout drop;
    private final MagnitudeTrim trim;
    private final float[] factors;
    private final float[] weights;
    private final Combine combine;

    /**
     * @param drop    DARE dropout, or null
     * @param trim    magnitude trim, or null
     * @param weights per-task weights applied after the trim, or null (all 1)
     * @param combine how the x_t become the delta
     */
    public TrimCombineKernel(Dropout drop, MagnitudeTrim trim, double[] weights, Combine combine) {
        this(drop, trim, null, weights == null ? null : Combine.toFloats(weights), combine);
    }

    private TrimCombineKernel(Dropout drop, MagnitudeTrim trim, float[] factors, float[] weights, Combine combine) {
        this.drop = drop;
        this.trim = trim;
        this.factors = factors;
        this.weights = weights;
        this.combine = combine;
    }

    /** The same kernel with the trimmed values of task t multiplied by f[t] before the weights (an L1 rescale). */
    public TrimCombineKernel withFactors(float[] f) {
        return new TrimCombineKernel(drop, trim, f.clone(), weights, combine);
    }

    private static final class State extends ChunkedPass.Block {
        final float[] sum = new float[ChunkedPass.CHUNK];
        final float[] sel = new float[ChunkedPass.CHUNK];
        long signSum;
        double[] l1;

        State(int tasks) {
            super(tasks);
        }
    }

    private void prepare(float[][] x, int tasks, int start, int len) {
        prepare(x, tasks, start, len, false);
    }

    /**
     * x_t = w_t · f_t · trim_t(drop_t(τ_t)) in place. With {@code vectorTrim} the trim takes its float
     * form ({@link MagnitudeTrim#applyUnlessNaN}): the caller then checks the sum for a NaN and redoes
     * the chunk without it.
     */
    private void prepare(float[][] x, int tasks, int start, int len, boolean vectorTrim) {
        for (int t = 0; t < tasks; t++) {
            float[] xt = x[t];
            if (drop != null) {
                drop.apply(t, xt, start, len);
            }
            if (trim != null && !(vectorTrim && trim.applyUnlessNaN(t, xt, start, len))) {
                trim.apply(t, xt, start, len);
            }
            if (factors != null && factors[t] != 1f) {
                float f = factors[t];
                for (int j = 0; j < len; j++) {
                    xt[j] = xt[j] * f;
                }
            }
            if (weights != null) {
                float w = weights[t];
                for (int j = 0; j < len; j++) {
                    xt[j] = xt[j] * w;
                }
            }
        }
    }

    /** delta of one chunk: x (overwritten) holds the T task-vector chunks, sum is scratch. */
    void delta(float[][] x, int tasks, int start, int len, float[] sum, float[] sel, float[] delta) {
        prepare(x, tasks, start, len);
        combine.apply(x, tasks, len, sum, sel, delta);
    }

    /**
     * θ_0 + scale · delta ({@code addBase}) or scale · delta, as a new F32 array of {@code shape} on
     * {@code m}.
     */
    public NDArray merge(StepViews v, NDManager m, Shape shape, float scale, boolean addBase) {
        NDArray out = StepViews.newOutput(m, shape);
        FloatBuffer dst = StepViews.floats(out);
        int tasks = v.tasks();
        ChunkedPass.run(v, addBase, dst, () -> new State(tasks), (b, start, len) -> {
            prepare(b.tv, tasks, start, len, trim != null);
            Combine.sumTasks(b.tv, tasks, len, b.sum);
            if (trim != null && Bits.anyNaN(b.sum, len)) {
                // a NaN or infinity in the chunk: the exact trim decides it
                for (int t = 0; t < tasks; t++) {
                    v.rows()[t].get(start, b.tv[t], 0, len);
                }
                prepare(b.tv, tasks, start, len, false);
                Combine.sumTasks(b.tv, tasks, len, b.sum);
            }
            combine.applySummed(b.tv, tasks, len, b.sum, b.sel, b.out);
            float[] o = b.out;
            if (addBase) {
                for (int j = 0; j < len; j++) {
                    o[j] = o[j] * scale + b.base[j];
                }
            } else if (scale != 1f) {
                for (int j = 0; j < len; j++) {
                    o[j] = o[j] * scale;
                }
            }
        });
        return out;
    }

    /** Σ over elements of sign(Σ_t x_t): the TIES majority-sign statistic of this tensor. */
    public long signSum(StepViews v) {
        int tasks = v.tasks();
        List<State> blocks = ChunkedPass.run(v, false, null, () -> new State(tasks), (b, start, len) -> {
            prepare(b.tv, tasks, start, len);
            b.signSum += Combine.signSum(b.tv, tasks, len, b.sum);
        });
        long total = 0;
        for (State s : blocks) {
            total += s.signSum;
        }
        return total;
    }

    /** The prepared x_t of every task written into a new [T, ...] F32 array (e.g. DARE's τ̃ for a later selection). */
    public NDArray prepared(StepViews v, NDManager m, Shape stackedShape) {
        NDArray out = StepViews.newOutput(m, stackedShape);
        FloatBuffer dst = StepViews.floats(out);
        int tasks = v.tasks();
        int n = v.n();
        ChunkedPass.run(v, false, null, () -> new State(tasks), (b, start, len) -> {
            prepare(b.tv, tasks, start, len);
            for (int t = 0; t < tasks; t++) {
                dst.put(t * n + start, b.tv[t], 0, len);
            }
        });
        return out;
    }

    /** Per task, {Σ|τ_t|, Σ|x_t|} in F64: the L1 norms before and after the preparation. */
    public double[][] l1Norms(StepViews v) {
        int tasks = v.tasks();
        List<State> blocks = ChunkedPass.run(v, false, null, () -> {
            State s = new State(tasks);
            s.l1 = new double[2 * tasks];
            return s;
        }, (b, start, len) -> {
            for (int t = 0; t < tasks; t++) {
                double acc = 0;
                for (int j = 0; j < len; j++) {
                    acc += Math.abs(b.tv[t][j]);
                }
                b.l1[t] += acc;
            }
            prepare(b.tv, tasks, start, len);
            for (int t = 0; t < tasks; t++) {
                double acc = 0;
                for (int j = 0; j < len; j++) {
                    acc += Math.abs(b.tv[t][j]);
                }
                b.l1[tasks + t] += acc;
            }
        });
        double[][] out = new double[tasks][2];
        for (State s : blocks) {
            for (int t = 0; t < tasks; t++) {
                out[t][0] += s.l1[t];
                out[t][1] += s.l1[tasks + t];
            }
        }
        return out;
    }
}
