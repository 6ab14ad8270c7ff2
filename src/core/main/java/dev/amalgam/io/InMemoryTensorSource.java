package dev.amalgam.io;

import dev.amalgam.AmalgamException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Named tensors held in Java memory, for merging small models built in a program (and the tests) through
 * the same {@link dev.amalgam.merge.StreamingExecutor} that merges files. Tensors are added as F32 or I64
 * values and read back as little-endian bytes like any other source.
 */
public final class InMemoryTensorSource implements TensorSource {
    private final String label;
    private final Map<String, TensorInfo> infos = new TreeMap<>();
    private final Map<String, ByteBuffer> data = new TreeMap<>();

    /** @param label what messages call this source (a model name) */
    public InMemoryTensorSource(String label) {
        this.label = label;
    }

    /** Adds (or replaces) an F32 tensor of {@code shape} holding {@code values} in row-major order. */
    public InMemoryTensorSource f32(String name, long[] shape, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return put(new TensorInfo(name, DType.F32, shape), b);
    }

    /** Adds (or replaces) an I64 tensor (copied unchanged by a merge, like position ids). */
    public InMemoryTensorSource i64(String name, long[] shape, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return put(new TensorInfo(name, DType.I64, shape), b);
    }

    private InMemoryTensorSource put(TensorInfo info, ByteBuffer bytes) {
        if (bytes.capacity() != info.byteSize()) {
            throw new IllegalArgumentException(label + ": tensor '" + info.name() + "' has " + bytes.capacity()
                    + " bytes, its shape needs " + info.byteSize());
        }
        infos.put(info.name(), info);
        data.put(info.name(), bytes);
        return this;
    }

    @Override
    public List<String> names() {
        return new ArrayList<>(infos.keySet());
    }

    @Override
    public boolean contains(String name) {
        return infos.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        TensorInfo i = infos.get(name);
        if (i == null) {
            throw new AmalgamException(label + ": no tensor '" + name + "'");
        }
        return i;
    }

    @Override
    public ByteBuffer bytes(String name) {
        info(name);
        return data.get(name).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public String describe() {
        return label;
    }

    @Override
    public void close() {
    }
}
