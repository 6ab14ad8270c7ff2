package dev.amalgam.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Per-layer key/value cache for incremental decoding: arrays [B, KV heads, S, D], appended along S
 * each step. Owns its arrays in its own manager, so step managers can be closed freely.
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;

    public KvCache(NDManager parent, int layers) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Tokens already cached (the position of the next token). */
    public long length() {
        return keys[0] == null ? 0 : keys[0].getShape().get(2);
    }

    /**
     * Appends this step's keys and values for {@code layer} and returns the full [k, v] to attend to.
     * The returned arrays belong to the cache; do not close them.
     */
    public NDList append(int layer, NDArray k, NDArray v) {
        keys[layer] = grow(keys[layer], k);
        values[layer] = grow(values[layer], v);
        return new NDList(keys[layer], values[layer]);
    }

    private NDArray grow(NDArray old, NDArray step) {
        NDArray full = old == null ? step.duplicate() : NDArrays.concat(new NDList(old, step), 2);
        full.attach(manager);
        if (old != null) {
            old.close();
        }
        return full;
    }

    @Override
    public void close() {
        manager.close();
    }
}
