package dev.amalgam.merge.stages;

import dev.amalgam.merge.ops.StepMasks;
import dev.amalgam.merge.ops.TaskReductions;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * TALL masks and Consensus fused per element (docs/methods/merge-methods.md §7): τ_MTL (the TA sum Σ_t τ_t, or a
 * {@link TrimCombineKernel} delta such as global TIES), m_t = [|τ_t| &gt; λ_t |τ_MTL − τ_t|] and the
 * votes Σ_t m_t, all in one read of the task vectors.
 */
public final class TallStage {

    // ---- whole-array form ----

    /** Masks m_t = |τ_t| > λ_t |τ_MTL − τ_t| as 0/1 F32, stacked [T, ...], on the arrays' device. */
    public static NDArray masks(NDArray stacked, NDArray mtl, double[] lambdas) {
        NDArray rhs = mtl.sub(stacked).abs().muli(TaskReductions.perTask(stacked, lambdas));
        return StepMasks.positiveInPlace(stacked.abs().subi(rhs));
    }

    /** Σ_t m_t (exact counts: integers below 2^24), from the stacked 0/1 masks. */
    public static NDArray votes(NDArray masks) {
        return masks.sum(new int[]{0});
    }

    // ---- chunk form ----
    private final TrimCombineKernel mtl;
    private final float[] lambdas;

    /**
     * @param mtl     the τ_MTL kernel, or null for the TA sum
     * @param lambdas λ_t per task
     */
    public TallStage(TrimCombineKernel mtl, double[] lambdas) {
        this.mtl = mtl;
        this.lambdas = Combine.toFloats(lambdas);
    }

    private final class State extends ChunkedPass.Block {
        final float[] mtlChunk = new float[ChunkedPass.CHUNK];
        final float[] votes = new float[ChunkedPass.CHUNK];
        final float[][] copy;
        final float[] sum;
        final float[] sel;
        byte[] bytes;

        State(int tasks) {
            super(tasks);
            copy = mtl == null ? null : new float[tasks][ChunkedPass.CHUNK];
            sum = mtl == null ? null : new float[ChunkedPass.CHUNK];
            sel = mtl == null ? null : new float[ChunkedPass.CHUNK];
        }
    }

    /** τ_MTL of the chunk into b.mtlChunk. */
    private void multiTask(State b, int tasks, int start, int len) {
        float[] out = b.mtlChunk;
        if (mtl == null) {
            Combine.sumTasks(b.tv, tasks, len, out);
            return;
        }
        for (int t = 0; t < tasks; t++) {
            System.arraycopy(b.tv[t], 0, b.copy[t], 0, len);
        }
        mtl.delta(b.copy, tasks, start, len, b.sum, b.sel, out);
    }

    /** −1 where m_t = [|τ_t| &gt; λ_t |τ_MTL − τ_t|] holds for element j of the chunk, else 0. */
    private static int mask(float x, float mtl, float lambda) {
        int a = Float.floatToRawIntBits(x) & Bits.ABS;
        int r = Float.floatToRawIntBits(Math.abs(mtl - x) * lambda);
        return Bits.greater(a, r);
    }

    private void votes(State b, int tasks, int start, int len) {
        multiTask(b, tasks, start, len);
        java.util.Arrays.fill(b.votes, 0, len, 0f);
        for (int t = 0; t < tasks; t++) {
            float[] x = b.tv[t];
            float lambda = lambdas[t];
            for (int j = 0; j < len; j++) {
                b.votes[j] += Bits.keep(1f, mask(x[j], b.mtlChunk[j], lambda));
            }
        }
    }

    /** TALL without task identity: θ_0 + τ_MTL ⊙ (Σ_t m_t) / T. */
    public NDArray mergeMean(StepViews v, NDManager m, Shape shape) {
        NDArray out = StepViews.newOutput(m, shape);
        int tasks = v.tasks();
        float divisor = Math.max(1, tasks);
        ChunkedPass.run(v, true, StepViews.floats(out), () -> new State(tasks), (b, start, len) -> {
            votes(b, tasks, start, len);
            for (int j = 0; j < len; j++) {
                b.out[j] = b.votes[j] * b.mtlChunk[j] / divisor + b.base[j];
            }
        });
        return out;
    }

    /** Consensus: θ_0 + α · τ_MTL ⊙ [Σ_t m_t ≥ k]. */
    public NDArray consensus(StepViews v, NDManager m, Shape shape, int k, float alpha) {
        NDArray out = StepViews.newOutput(m, shape);
        int tasks = v.tasks();
        ChunkedPass.run(v, true, StepViews.floats(out), () -> new State(tasks), (b, start, len) -> {
            votes(b, tasks, start, len);
            for (int j = 0; j < len; j++) {
                b.out[j] = (b.votes[j] >= k ? b.mtlChunk[j] : 0f) * alpha + b.base[j];
            }
        });
        return out;
    }

    /** {τ_MTL (F32), m_0, …, m_{T−1} (BOOLEAN)}, each of {@code shape}. */
    public NDArray[] modulation(StepViews v, NDManager m, Shape shape) {
        int tasks = v.tasks();
        ModulationArrays out = new ModulationArrays(m, shape, tasks);
        FloatBuffer mtlOut = out.shared;
        ByteBuffer[] maskBytes = out.masks;
        ChunkedPass.run(v, false, null, () -> new State(tasks), (b, start, len) -> {
            multiTask(b, tasks, start, len);
            mtlOut.put(start, b.mtlChunk, 0, len);
            if (b.bytes == null) {
                b.bytes = new byte[ChunkedPass.CHUNK];
            }
            for (int t = 0; t < tasks; t++) {
                float[] x = b.tv[t];
                float lambda = lambdas[t];
                for (int j = 0; j < len; j++) {
                    b.bytes[j] = (byte) -mask(x[j], b.mtlChunk[j], lambda);
                }
                maskBytes[t].put(start, b.bytes, 0, len);
            }
        });
        return out.arrays;
    }
}
