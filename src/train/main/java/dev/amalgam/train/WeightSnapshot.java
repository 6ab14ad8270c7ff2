package dev.amalgam.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import java.util.LinkedHashMap;
import java.util.Map;

/** A copy of every parameter of a block, kept to restore the best weights seen during training. */
public final class WeightSnapshot implements AutoCloseable {
    private final NDManager manager;
    private final Map<String, NDArray> copies = new LinkedHashMap<>();

    private WeightSnapshot(NDManager manager) {
        this.manager = manager;
    }

    /** Copies the current values of all of {@code block}'s initialised parameters. */
    public static WeightSnapshot of(Block block) {
        WeightSnapshot s = null;
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter param = p.getValue();
            if (!param.isInitialized()) {
                continue;
            }
            NDArray value = param.getArray();
            if (s == null) {
                s = new WeightSnapshot(value.getManager().getEngine().newBaseManager(value.getDevice()));
            }
            NDArray copy = value.duplicate();
            copy.attach(s.manager);
            s.copies.put(param.getId(), copy);
        }
        if (s == null) {
            throw new IllegalStateException("block has no initialised parameters");
        }
        return s;
    }

    /** Writes the copies back into the parameters' arrays in place (arrays keep their gradients). */
    public void restoreInto(Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray copy = copies.get(p.getValue().getId());
            if (copy != null) {
                copy.copyTo(p.getValue().getArray());
            }
        }
    }

    /** The copy of the parameter with DJL id {@code parameterId}, or null. */
    public NDArray get(String parameterId) {
        return copies.get(parameterId);
    }

    @Override
    public void close() {
        manager.close();
    }
}
