package dev.amalgam.serving;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.amalgam.model.CausalLanguageModel;
import dev.amalgam.model.CausalLm;

/**
 * Greedy decoding with a KV cache as one block call ({@link CausalLm#greedy}):
 * {@code [prompt_ids [1, T]]} → {@code [generated_ids [N]]}, N ≤ maxNewTokens (stops after EOS).
 */
public final class GreedyGenerationBlock extends AbstractBlock implements AutoCloseable {
    private final CausalLanguageModel model;
    private final int maxNewTokens;

    public GreedyGenerationBlock(CausalLanguageModel model, int maxNewTokens) {
        this.model = model;
        this.maxNewTokens = maxNewTokens;
    }

    public CausalLanguageModel model() {
        return model;
    }

    public int maxNewTokens() {
        return maxNewTokens;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow();
        long[] prompt = ids.toLongArray();
        if (prompt.length + (long) maxNewTokens > model.maxSequenceLength()) {
            throw new IllegalArgumentException("prompt (" + prompt.length + " tokens) + max_new_tokens " + maxNewTokens
                    + " exceeds the model's " + model.maxSequenceLength() + " positions");
        }
        long[] out = CausalLm.greedy(model, prompt, maxNewTokens, model.eosTokenId(), true);
        return new NDList(ids.getManager().create(out));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(-1)};
    }

    @Override
    public void close() {
        try {
            model.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
