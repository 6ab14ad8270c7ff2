package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import dev.amalgam.io.TensorInfo;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps a merge's output in Java memory, in the order the executor writes it: merged tensors as F32
 * values, copied (integer) tensors as their bytes, and a {@link TaskModulated} method's shared tensor and
 * per-task masks, as plain arrays for assertions. Tests only: a program that merges into memory uses
 * {@link MemorySink} ({@code dev.amalgam.api.Merge#inMemory}), which keeps the output dtype and serves the tensors as
 * a TensorSource.
 */
public final class InMemorySink implements MergeSink {
    private final Map<String, float[]> merged = new LinkedHashMap<>();
    private final Map<String, ByteBuffer> copied = new LinkedHashMap<>();
    private final Map<String, float[]> shared = new LinkedHashMap<>();
    private final Map<String, List<boolean[]>> masks = new LinkedHashMap<>();
    private boolean committed;

    @Override
    public void begin(List<TensorInfo> plan, MergeMethod method, MergeInputs inputs) {
    }

    @Override
    public void writeMerged(TensorInfo info, NDArray a) {
        merged.put(info.name(), a.toFloatArray());
    }

    @Override
    public void writeCopied(TensorInfo info, ByteBuffer bytes) {
        ByteBuffer copy = ByteBuffer.allocate(bytes.remaining()).order(bytes.order());
        copy.put(bytes.duplicate()).flip();
        copied.put(info.name(), copy.asReadOnlyBuffer().order(bytes.order()));
    }

    @Override
    public void writeModulation(TensorInfo info, TaskModulated.Modulation m) {
        shared.put(info.name(), m.shared().toFloatArray());
        List<boolean[]> list = new ArrayList<>();
        for (NDArray mask : m.masks()) {
            list.add(mask.toBooleanArray());
        }
        masks.put(info.name(), Collections.unmodifiableList(list));
    }

    @Override
    public void commit(MergeMethod method) {
        committed = true;
    }

    /** Merged float tensors by name (F32, row-major). */
    public Map<String, float[]> merged() {
        return Collections.unmodifiableMap(merged);
    }

    /** Tensors copied unchanged from the base, by name (little-endian bytes). */
    public Map<String, ByteBuffer> copied() {
        return Collections.unmodifiableMap(copied);
    }

    /** A task-modulated merge's shared tensor by name. */
    public Map<String, float[]> shared() {
        return Collections.unmodifiableMap(shared);
    }

    /** A task-modulated merge's masks by name, one per task. */
    public Map<String, List<boolean[]>> masks() {
        return Collections.unmodifiableMap(masks);
    }

    /** Whether the executor finished (every tensor was written). */
    public boolean committed() {
        return committed;
    }
}
