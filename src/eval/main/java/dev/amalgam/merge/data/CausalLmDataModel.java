package dev.amalgam.merge.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.amalgam.model.HfCausalLmBlock;
import dev.amalgam.model.WeightLookup;

/**
 * A decoder-only LM (GPT-2, Llama family) as its own predictor: the rows are the next-token
 * distributions at every real token of every example (docs/methods/data-aware.md, decoders). Inputs
 * are [input_ids, mask], right-padded; a causal model's real tokens never attend to the padding after
 * them, so dropping the padded rows (from the logits and from RegMean's Gram matrices) leaves exactly
 * what each example alone would give.
 */
final class CausalLmDataModel implements DataModel {
    private final HfCausalLmBlock architecture;

    /** @param architecture any model of the right config (its own weights are not used) */
    CausalLmDataModel(HfCausalLmBlock architecture) {
        this.architecture = architecture;
    }

    @Override
    public String describe() {
        return "decoder LM + its next-token head";
    }

    @Override
    public NDArray logits(WeightLookup weights, String task, NDList inputs) {
        NDArray ids = inputs.get(0);
        NDArray all = architecture.logits(weights, ids, null);
        NDArray rows = all.reshape(-1, all.getShape().get(2));
        long[] mask = inputs.get(1).toLongArray();
        long[] keep = java.util.stream.IntStream.range(0, mask.length).filter(i -> mask[i] != 0).asLongStream().toArray();
        if (keep.length == mask.length) {
            return rows;
        }
        return rows.get(new ai.djl.ndarray.index.NDIndex("{}", ids.getManager().create(keep)));
    }

    @Override
    public NDArray rowMask(NDList inputs) {
        return inputs.get(1).reshape(-1).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
    }

    @Override
    public boolean sharedWeight(String tensor) {
        String head = architecture.headWeightName();
        return tensor.equals(head) && !head.equals("lm_head.weight");
    }
}
