package dev.amalgam.merge.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.amalgam.io.TensorSource;
import dev.amalgam.model.WeightLookup;
import dev.amalgam.tensor.TensorBridge;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@link WeightLookup} that builds each tensor on first use and hands out the same array after,
 * remembering which name each array was returned for: the linear-input tap
 * ({@link dev.amalgam.model.LinearInputs}) sees arrays, and this turns them back into tensor names.
 */
final class TaskWeights implements WeightLookup {
    private final Function<String, NDArray> build;
    private final Map<String, NDArray> arrays = new LinkedHashMap<>();
    private final Map<NDArray, String> names = new IdentityHashMap<>();

    TaskWeights(Function<String, NDArray> build) {
        this.build = build;
    }

    /** The tensors of {@code source} as F32 on {@code m}. */
    static TaskWeights of(TensorSource source, NDManager m) {
        return new TaskWeights(n -> TensorBridge.toF32(m, source, n));
    }

    @Override
    public NDArray get(String name) {
        NDArray a = arrays.get(name);
        if (a == null) {
            a = build.apply(name);
            arrays.put(name, a);
            names.put(a, name);
        }
        return a;
    }

    /** The tensor name {@code array} was returned for, or null. */
    String nameOf(NDArray array) {
        return names.get(array);
    }

    /** Every tensor built so far, in the order the forward pass first asked for them. */
    Map<String, NDArray> built() {
        return arrays;
    }
}
