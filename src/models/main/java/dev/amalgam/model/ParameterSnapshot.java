package dev.amalgam.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.LinkedHashMap;
import java.util.Map;

/** Copies of a model's parameters, taken and written back by name (the snapshot/restore of {@link InPlaceParameters}). */
final class ParameterSnapshot implements AutoCloseable {
    private NDManager manager;
    private Map<String, NDArray> values;

    /** Replaces any earlier snapshot with copies of every parameter of {@code model}, owned by a child of {@code parent}. */
    void take(InPlaceParameters model, NDManager parent) {
        close();
        manager = parent.newSubManager();
        values = new LinkedHashMap<>();
        for (String name : model.parameterNames()) {
            NDArray copy = model.parameter(name).duplicate();
            copy.attach(manager);
            values.put(name, copy);
        }
    }

    void restore(InPlaceParameters model) {
        if (values == null) {
            throw new IllegalStateException("restore() without snapshot()");
        }
        values.forEach(model::setParameter);
    }

    @Override
    public void close() {
        if (manager != null) {
            manager.close();
            manager = null;
            values = null;
        }
    }
}
