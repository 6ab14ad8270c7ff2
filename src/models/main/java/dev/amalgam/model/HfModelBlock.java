package dev.amalgam.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.List;

/**
 * Base of Amalgam's architectures: one DJL block whose direct parameters carry the Hugging Face
 * state-dict names, so {@code getParameters()} lists exactly the checkpoint's tensors and the forward
 * pass is plain, differentiable NDArray code. The model owns an NDManager holding the weights.
 */
public abstract class HfModelBlock extends AbstractBlock implements InPlaceParameters, AutoCloseable {
    protected final NamedParameters params;
    protected final NDManager manager;

    protected HfModelBlock(NamedParameters params, NDManager manager) {
        super((byte) 1);
        this.params = params;
        this.manager = manager;
        for (Parameter p : params.all()) {
            addParameter(p);
        }
    }

    /**
     * Loads {@code params} from {@code weights} into a new child manager of {@code parent} and returns it;
     * on failure the child is closed, so a half-loaded model leaves nothing behind.
     */
    protected static NDManager loadParameters(NamedParameters params, ModelWeights weights, NDManager parent) {
        NDManager m = parent.newSubManager();
        try {
            params.load(weights, m);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        return m;
    }

    /** Runs the model with weights from {@code weights} (own parameters, or computed ones). */
    public abstract NDList forward(WeightLookup weights, NDList inputs);

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> extra) {
        return forward(name -> store.getValue(parameters.get(name), inputs.head().getDevice(), training), inputs);
    }

    public NDManager manager() {
        return manager;
    }

    public NamedParameters namedParameters() {
        return params;
    }

    @Override
    public List<String> parameterNames() {
        return params.parameterNames();
    }

    @Override
    public NDArray parameter(String name) {
        return params.parameter(name);
    }

    @Override
    public void setParameter(String name, NDArray value) {
        params.setParameter(name, value);
    }

    @Override
    public void snapshot() {
        params.snapshot();
    }

    @Override
    public void restore() {
        params.restore();
    }

    @Override
    public void close() {
        manager.close();
    }
}
