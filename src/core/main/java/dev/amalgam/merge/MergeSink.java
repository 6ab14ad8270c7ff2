package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import dev.amalgam.io.TensorInfo;

import java.nio.ByteBuffer;
import java.util.List;

/** Receives the merge output tensor by tensor, in sorted name order. */
public interface MergeSink {

    /** Called once before any tensor with the full output plan (names sorted, original dtypes). */
    void begin(List<TensorInfo> plan, MergeMethod method, MergeInputs inputs);

    /** A merged float tensor, F32 (the sink converts to the output dtype). */
    void writeMerged(TensorInfo info, NDArray merged);

    /** A tensor copied unchanged from the base (integer/bool buffers such as position_ids). */
    void writeCopied(TensorInfo info, ByteBuffer bytes);

    /** Per-task modulation of a float tensor (only for {@link TaskModulated} methods). */
    default void writeModulation(TensorInfo info, TaskModulated.Modulation modulation) {
        throw new UnsupportedOperationException("this sink does not accept per-task modulations");
    }

    /** All tensors were written; make the output visible (atomic rename). */
    void commit(MergeMethod method);
}
