package dev.amalgam.merge.stages;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.merge.ops.StepMasks;
import dev.amalgam.merge.ops.TaskReductions;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * EMR's elect step fused per element (docs/methods/merge-methods.md §4): flag = +1 where Σ_t τ_t &gt; 0 else −1,
 * a_t = τ_t · flag, M_t = [a_t &gt; 0], ε = flag · max(0, max_t a_t). One pass gives the statistic
 * sums, the merged tensor or the modulation (ε and the masks) without [T, n] temporaries. The
 * whole-array form ({@link Arrays}) computes the same on stacked arrays on any device.
 */
public final class Election {
    private Election() {
    }

    // ---- whole-array form ----

    /**
     * ε and the masks M_t stacked [T, ...] as 0/1 F32, from stacked task vectors on any device. With
     * a_t = τ_t ⊙ flag (exact, flag = ±1), |τ_t ⊙ M_t| = max(a_t, 0), so ε = flag ⊙ max(max_t a_t, 0).
     */
    public record Arrays(NDArray eps, NDArray maskF) {
        public static Arrays of(NDArray stacked) {
            NDArray flag = stacked.sum(new int[]{0}).gt(0).toType(DataType.FLOAT32, false).muli(2f).subi(1f);
            NDArray aligned = stacked.mul(flag);
            NDArray eps = TaskReductions.max(aligned).maximum(0f).muli(flag);
            return new Arrays(eps, StepMasks.positiveInPlace(aligned));
        }

        /** Per task {Σ_i |τ_t[i]|, Σ_i M_t[i]·|ε[i]|}: an L1 norm and one [T, n]×[n, 1] product. */
        public double[][] sums(NDArray stacked) {
            int tasks = (int) stacked.getShape().get(0);
            long n = eps.getShape().size();
            float[] num = stacked.reshape(tasks, n).norm(1, new int[]{1}, false).toFloatArray();
            float[] den = maskF.reshape(tasks, n).matMul(eps.abs().reshape(n, 1)).toFloatArray();
            double[][] out = new double[tasks][2];
            for (int t = 0; t < tasks; t++) {
                out[t][0] = num[t];
                out[t][1] = den[t];
            }
            return out;
        }

        /** θ_0 + ε ⊙ (Σ_t scale_t M_t) / T. */
        public NDArray merge(NDArray base, double[] scales) {
            int tasks = scales.length;
            return TaskReductions.weightedSum(maskF, scales).muli(eps).divi((float) Math.max(1, tasks)).addi(base);
        }
    }

    // ---- chunk form ----

    private static final class State extends ChunkedPass.Block {
        final float[] flag = new float[ChunkedPass.CHUNK];
        final float[] eps = new float[ChunkedPass.CHUNK];
        double[] sums;
        private byte[] bytes;

        byte[] bytes() {
            if (bytes == null) {
                bytes = new byte[ChunkedPass.CHUNK];
            }
            return bytes;
        }

        State(int tasks) {
            super(tasks);
        }
    }

    /** flag and ε of the chunk into b.flag and b.eps. */
    private static void elect(State b, int tasks, int len) {
        float[] sum = b.flag;
        Combine.sumTasks(b.tv, tasks, len, sum);
        float[] best = b.eps;
        java.util.Arrays.fill(best, 0, len, 0f);
        for (int j = 0; j < len; j++) {
            sum[j] = Bits.plusMinusOne(Bits.positive(sum[j]));
        }
        for (int t = 0; t < tasks; t++) {
            float[] x = b.tv[t];
            for (int j = 0; j < len; j++) {
                best[j] = Math.max(best[j], x[j] * sum[j]);
            }
        }
        for (int j = 0; j < len; j++) {
            best[j] = best[j] * sum[j];
        }
    }

    /** Per task {Σ_i |τ_t[i]|, Σ_i M_t[i]·|ε[i]|} in F64 (EMR's rescaler statistic). */
    public static double[][] sums(StepViews v) {
        int tasks = v.tasks();
        List<State> blocks = ChunkedPass.run(v, false, null, () -> {
            State s = new State(tasks);
            s.sums = new double[2 * tasks];
            return s;
        }, (b, start, len) -> {
            elect(b, tasks, len);
            for (int t = 0; t < tasks; t++) {
                float[] x = b.tv[t];
                double num = 0;
                double den = 0;
                for (int j = 0; j < len; j++) {
                    num += Math.abs(x[j]);
                    den += Bits.keep(Math.abs(b.eps[j]), Bits.positive(x[j] * b.flag[j]));
                }
                b.sums[t] += num;
                b.sums[tasks + t] += den;
            }
        });
        double[][] out = new double[tasks][2];
        for (State s : blocks) {
            for (int t = 0; t < tasks; t++) {
                out[t][0] += s.sums[t];
                out[t][1] += s.sums[tasks + t];
            }
        }
        return out;
    }

    /** θ_0 + ε ⊙ (Σ_t scale_t M_t) / T, a new F32 array of {@code shape}. */
    public static NDArray merge(StepViews v, NDManager m, Shape shape, double[] scales) {
        NDArray out = StepViews.newOutput(m, shape);
        int tasks = v.tasks();
        float[] s = Combine.toFloats(scales);
        float divisor = Math.max(1, tasks);
        ChunkedPass.run(v, true, StepViews.floats(out), () -> new State(tasks), (b, start, len) -> {
            elect(b, tasks, len);
            float[] o = b.out;
            java.util.Arrays.fill(o, 0, len, 0f);
            for (int t = 0; t < tasks; t++) {
                float[] x = b.tv[t];
                float st = s[t];
                for (int j = 0; j < len; j++) {
                    o[j] += Bits.keep(st, Bits.positive(x[j] * b.flag[j]));
                }
            }
            for (int j = 0; j < len; j++) {
                o[j] = o[j] * b.eps[j] / divisor + b.base[j];
            }
        });
        return out;
    }

    /** ε (F32, {@code shape}) and the masks M_t (BOOLEAN, {@code shape} each) as new arrays: {ε, M_0, …, M_{T−1}}. */
    public static NDArray[] modulation(StepViews v, NDManager m, Shape shape) {
        int tasks = v.tasks();
        ModulationArrays out = new ModulationArrays(m, shape, tasks);
        FloatBuffer epsOut = out.shared;
        ByteBuffer[] maskBytes = out.masks;
        ChunkedPass.run(v, false, null, () -> new State(tasks), (b, start, len) -> {
            elect(b, tasks, len);
            epsOut.put(start, b.eps, 0, len);
            byte[] row = b.bytes();
            for (int t = 0; t < tasks; t++) {
                float[] x = b.tv[t];
                for (int j = 0; j < len; j++) {
                    row[j] = (byte) -Bits.positive(x[j] * b.flag[j]);
                }
                maskBytes[t].put(start, row, 0, len);
            }
        });
        return out.arrays;
    }
}
