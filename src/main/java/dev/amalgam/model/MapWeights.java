package dev.amalgam.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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

    /**
     * Reads a whole single-file safetensors checkpoint with DJL's decoder (files up to 2 GiB).
     * Stop-gap until the memory-mapped {@code dev.amalgam.io} reader is used for large checkpoints.
     */
    public static MapWeights readSafetensors(Path file, NDManager manager) {
        NDList list;
        try {
            list = NDList.decode(manager, Files.readAllBytes(file));
        } catch (IOException | RuntimeException e) {
            throw new AmalgamException(file + ": cannot read safetensors (" + e.getMessage() + ")", e);
        }
        Map<String, NDArray> map = new LinkedHashMap<>();
        for (NDArray a : list) {
            map.put(a.getName(), a);
        }
        return new MapWeights(map, file.toString());
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
        NDArray copy = a.toType(DataType.FLOAT32, true);
        copy.attach(manager);
        return copy;
    }

    @Override
    public String describe() {
        return label;
    }
}
