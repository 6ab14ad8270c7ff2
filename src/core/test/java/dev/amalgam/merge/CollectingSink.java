package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import dev.amalgam.io.TensorInfo;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keeps merged tensors as Java float arrays (test helper). */
public final class CollectingSink implements MergeSink {
    public final Map<String, float[]> merged = new LinkedHashMap<>();
    public final Map<String, ByteBuffer> copied = new LinkedHashMap<>();
    public final Map<String, float[]> shared = new LinkedHashMap<>();
    public final Map<String, List<boolean[]>> masks = new LinkedHashMap<>();
    public boolean committed;

    @Override
    public void begin(List<TensorInfo> plan, MergeMethod method, MergeInputs inputs) {
    }

    @Override
    public void writeMerged(TensorInfo info, NDArray a) {
        merged.put(info.name(), a.toFloatArray());
    }

    @Override
    public void writeCopied(TensorInfo info, ByteBuffer bytes) {
        copied.put(info.name(), bytes);
    }

    @Override
    public void writeModulation(TensorInfo info, TaskModulated.Modulation m) {
        shared.put(info.name(), m.shared().toFloatArray());
        List<boolean[]> list = new ArrayList<>();
        for (NDArray mask : m.masks()) {
            list.add(mask.toBooleanArray());
        }
        masks.put(info.name(), list);
    }

    @Override
    public void commit(MergeMethod method) {
        committed = true;
    }
}
