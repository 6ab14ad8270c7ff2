package dev.amalgam.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The plumbing every decoder-only HF model shares: logits = final hidden states × LM head (the token
 * embedding when tied), a KV cache per layer, and the block's forward [input_ids] → [logits].
 * Subclasses supply the transformer stack and the names of their embedding and head tensors.
 */
public abstract class HfCausalLmBlock extends HfModelBlock implements CausalLanguageModel {
    private final int layers;
    private final int vocabSize;
    private final long eosTokenId;

    protected HfCausalLmBlock(NamedParameters params, NDManager manager, int layers, int vocabSize, long eosTokenId) {
        super(params, manager);
        this.layers = layers;
        this.vocabSize = vocabSize;
        this.eosTokenId = eosTokenId;
    }

    /** Final (normalised) hidden states [B, T, H] for ids [B, T]. */
    public abstract NDArray hiddenStates(WeightLookup w, NDArray ids, KvCache cache);

    /** Name of the tensor the LM head multiplies by: the token embedding when tied, else lm_head.weight. */
    protected abstract String lmHeadWeightName();

    /** The LM head's weight name: the token embedding when tied (then it is not only a linear layer). */
    public final String headWeightName() {
        return lmHeadWeightName();
    }

    @Override
    public NDArray logits(WeightLookup w, NDArray ids, KvCache cache) {
        return Ops.linear(hiddenStates(w, ids, cache), w.get(lmHeadWeightName()), null);
    }

    @Override
    public NDList forward(WeightLookup weights, NDList inputs) {
        return new NDList(logits(weights, inputs.head(), null));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), vocabSize)};
    }

    @Override
    public WeightLookup ownWeights() {
        return params;
    }

    @Override
    public KvCache newCache() {
        return new KvCache(manager, layers);
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public long eosTokenId() {
        return eosTokenId;
    }
}
