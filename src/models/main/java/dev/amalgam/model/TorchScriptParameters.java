package dev.amalgam.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SymbolBlock;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * In-place parameter access for a TorchScript model (DJL {@code PtSymbolBlock}). The model must be
 * loaded with {@code trainParam=true}; otherwise its tensors are inference tensors that cannot be
 * written. Writes copy into the module's own storage with {@code set(NDIndex("..."), value)};
 * {@code Parameter.setArray} would only swap the Java reference and leave the module unchanged.
 * Not thread-safe across predictors sharing the block.
 */
public final class TorchScriptParameters implements InPlaceParameters, AutoCloseable {
    private static final NDIndex ALL = new NDIndex("...");

    private final ZooModel<NDList, NDList> model;
    private final Block block;
    private final Map<String, Parameter> params = new LinkedHashMap<>();
    private final ParameterSnapshot snapshot = new ParameterSnapshot();

    private TorchScriptParameters(ZooModel<NDList, NDList> model) {
        this.model = model;
        this.block = model.getBlock();
        if (!(block instanceof SymbolBlock)) {
            throw new IllegalStateException("not a TorchScript block: " + block.getClass());
        }
        for (var pair : block.getDirectParameters()) {
            params.put(pair.getKey(), pair.getValue());
        }
    }

    /** Loads a {@code .pt} file (or a directory holding {@code <dir>.pt} / {@code model.pt}) with trainParam=true. */
    public static TorchScriptParameters load(Path modelPath) {
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(modelPath)
                .optEngine("PyTorch")
                .optOption("trainParam", "true")
                .build();
        try {
            return new TorchScriptParameters(criteria.loadModel());
        } catch (IOException | ModelNotFoundException | MalformedModelException | RuntimeException e) {
            throw new AmalgamException(modelPath + ": cannot load TorchScript model (" + e.getMessage() + ")", e);
        }
    }

    /** Runs the module (no training) on {@code inputs}; outputs live in the inputs' manager. */
    public NDList forward(NDList inputs) {
        return block.forward(new ParameterStore(inputs.head().getManager(), false), inputs, false);
    }

    public NDManager manager() {
        return model.getNDManager();
    }

    @Override
    public List<String> parameterNames() {
        return new ArrayList<>(params.keySet());
    }

    @Override
    public NDArray parameter(String name) {
        Parameter p = params.get(name);
        if (p == null) {
            throw new AmalgamException(model.getModelPath() + ": TorchScript model has no parameter '" + name + "'");
        }
        return p.getArray();
    }

    @Override
    public void setParameter(String name, NDArray value) {
        NDArray target = parameter(name);
        if (!Arrays.equals(target.getShape().getShape(), value.getShape().getShape())) {
            throw new AmalgamException("tensor '" + name + "' has shape " + value.getShape()
                    + ", the TorchScript parameter has " + target.getShape());
        }
        NDArray v = value.getDataType() == target.getDataType() ? value : value.toType(target.getDataType(), false);
        target.set(ALL, v);
        if (v != value) {
            v.close();
        }
    }

    @Override
    public void snapshot() {
        snapshot.take(this, model.getNDManager());
    }

    @Override
    public void restore() {
        snapshot.restore(this);
    }

    @Override
    public void close() {
        snapshot.close();
        model.close();
    }
}
