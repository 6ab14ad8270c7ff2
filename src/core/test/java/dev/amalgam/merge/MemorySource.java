package dev.amalgam.merge;

import dev.amalgam.AmalgamException;
import dev.amalgam.io.DType;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.io.TensorSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A tiny in-memory TensorSource for executor tests (F32 and I64 tensors). */
public final class MemorySource implements TensorSource {
    private final String label;
    private final Map<String, TensorInfo> infos = new TreeMap<>();
    private final Map<String, ByteBuffer> data = new TreeMap<>();

    public MemorySource(String label) {
        this.label = label;
    }

    public MemorySource f32(String name, long[] shape, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        b.flip();
        infos.put(name, new TensorInfo(name, DType.F32, shape));
        data.put(name, b);
        return this;
    }

    public MemorySource i64(String name, long[] shape, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        b.flip();
        infos.put(name, new TensorInfo(name, DType.I64, shape));
        data.put(name, b);
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
