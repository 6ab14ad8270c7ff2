package dev.amalgam.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.amalgam.AmalgamException;

import java.util.Map;
import java.util.Set;

/** {@link ModelWeights} over arrays already in memory. */
public final class MapWeights implements ModelWeights {
    private final Map<String, NDArray> arrays;
    private final String label;

    public MapWeights(Map<String, NDArray> arrays, String label) {
        this.arrays = arrays;
        this.label = label;
    }

    public Map<String, NDArray> arrays() {
        return arrays;
    }

    @Override
    public Set<String> names() {
        return arrays.keySet();
    }

    @Override
    public NDArray load(String name, NDManager manager) {
        NDArray a = arrays.get(name);
        if (a == null) {
            throw new AmalgamException(label + ": missing tensor '" + name + "'");
        }
        // toType(FLOAT32, copy=true) on an F32 array may share the caller's memory in DJL 0.35.1:
        // duplicate() always clones, so the model never depends on the caller's array staying alive.
        NDArray copy = a.getDataType() == DataType.FLOAT32 ? a.duplicate() : a.toType(DataType.FLOAT32, true);
        copy.attach(manager);
        return copy;
    }

    @Override
    public String describe() {
        return label;
    }
}
