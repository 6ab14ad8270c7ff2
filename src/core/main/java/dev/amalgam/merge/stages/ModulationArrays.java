package dev.amalgam.merge.stages;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * The output of a task-modulated kernel (EMR, TALL): one shared F32 array and T BOOLEAN masks of one
 * tensor's shape, created empty with writable views for the kernel to fill chunk by chunk.
 */
final class ModulationArrays {
    /** {shared, mask_0, …, mask_{T−1}}. */
    final NDArray[] arrays;
    final FloatBuffer shared;
    final ByteBuffer[] masks;

    ModulationArrays(NDManager m, Shape shape, int tasks) {
        arrays = new NDArray[tasks + 1];
        arrays[0] = StepViews.newOutput(m, shape);
        shared = StepViews.floats(arrays[0]);
        masks = new ByteBuffer[tasks];
        for (int t = 0; t < tasks; t++) {
            arrays[t + 1] = m.create(shape, DataType.BOOLEAN);
            masks[t] = StepViews.bytes(arrays[t + 1]);
        }
    }
}
