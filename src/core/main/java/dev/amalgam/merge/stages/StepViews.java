package dev.amalgam.merge.stages;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Float views of one merge step's native arrays, for the fused kernels: the base θ_0 and the T task
 * vectors, each a {@link FloatBuffer} of n elements. Views are read-only by contract; kernels write
 * only into arrays they create ({@link #newOutput}).
 *
 * @param n     elements per tensor
 * @param base  θ_0 (null when the kernel does not need it)
 * @param rows  τ_t for t = 0..T−1
 */
public record StepViews(int n, FloatBuffer base, FloatBuffer[] rows) {

    /** The largest tensor a view covers: a direct buffer holds at most 2^31 − 1 bytes. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE / Float.BYTES;

    /** Whether tensors of {@code n} elements fit a view (larger ones take the whole-array path). */
    public static boolean fits(long n) {
        return n <= MAX_ELEMENTS;
    }

    /**
     * Views of {@code base} and the task vectors: slices of {@code stacked} when it is given and fits
     * one buffer, else one view per array of {@code taskVectors}.
     */
    public static StepViews of(NDArray base, NDArray stacked, List<NDArray> taskVectors) {
        long n = base.getShape().size();
        if (!fits(n)) {
            throw new IllegalArgumentException("tensor of " + n + " elements is too large for a kernel view");
        }
        int tasks = stacked != null ? (int) stacked.getShape().get(0) : taskVectors.size();
        FloatBuffer[] rows = new FloatBuffer[tasks];
        if (stacked != null && n * tasks <= MAX_ELEMENTS) {
            FloatBuffer all = floats(stacked);
            for (int t = 0; t < tasks; t++) {
                rows[t] = all.duplicate().position((int) (t * n)).limit((int) ((t + 1) * n)).slice();
            }
        } else {
            for (int t = 0; t < tasks; t++) {
                rows[t] = floats(taskVectors != null ? taskVectors.get(t) : stacked.get(t));
            }
        }
        return new StepViews((int) n, floats(base), rows);
    }

    public int tasks() {
        return rows.length;
    }

    /** A new uninitialised F32 array of {@code shape} on {@code m}, for a kernel to fill. */
    public static NDArray newOutput(NDManager m, Shape shape) {
        return m.create(shape, DataType.FLOAT32);
    }

    /** The native memory of an F32 array as floats (native order). */
    public static FloatBuffer floats(NDArray a) {
        if (a.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("expected FLOAT32, got " + a.getDataType());
        }
        return a.getShape().size() == 0 ? FloatBuffer.allocate(0)
                : a.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** The native memory of a BOOLEAN array (one byte per element). */
    public static ByteBuffer bytes(NDArray a) {
        if (a.getDataType() != DataType.BOOLEAN) {
            throw new IllegalArgumentException("expected BOOLEAN, got " + a.getDataType());
        }
        return a.getShape().size() == 0 ? ByteBuffer.allocate(0) : a.toByteBuffer(true);
    }
}
