package dev.amalgam.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.amalgam.io.TensorInfo;
import dev.amalgam.io.TensorSource;
import dev.amalgam.tensor.TensorBridge;

import java.util.LinkedHashSet;
import java.util.Set;

/** {@link ModelWeights} over an io {@link TensorSource} (memory-mapped, sharded), read tensor by tensor as float32. */
public final class TensorSourceWeights implements ModelWeights {
    private final TensorSource source;
    private final Set<String> names;

    public TensorSourceWeights(TensorSource source) {
        this.source = source;
        this.names = new LinkedHashSet<>(source.names());
    }

    @Override
    public Set<String> names() {
        return names;
    }

    @Override
    public boolean contains(String name) {
        return source.contains(name);
    }

    @Override
    public NDArray load(String name, NDManager manager) {
        TensorInfo info = source.info(name);
        if (info.dtype().isFloat()) {
            return TensorBridge.toF32(manager, info, source.bytes(name));
        }
        try (NDArray raw = TensorBridge.toNative(manager, info, source.bytes(name))) {
            return raw.toType(DataType.FLOAT32, true);
        }
    }

    @Override
    public String describe() {
        return source.describe();
    }
}
