package dev.amalgam.merge.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.amalgam.AmalgamException;
import dev.amalgam.model.WeightLookup;
import dev.amalgam.model.bert.BertEncoder;
import dev.amalgam.model.bert.BertPooling;
import dev.amalgam.train.FineTunedHead;

import java.util.Map;

/**
 * A BERT-family encoder with each task's fine-tuned classification head (kept aside by the merge,
 * fixed here): logits = W · pool(encoder(ids)) + b, pooled as the head was trained (mean, cls or pooler).
 * Inputs are the collator's [input_ids, attention_mask, token_type_ids].
 */
public final class BertHeadsModel implements DataModel {
    private final BertEncoder architecture;
    private final Map<String, FineTunedHead> heads;

    /** @param architecture any encoder of the right config (its own weights are not used) */
    public BertHeadsModel(BertEncoder architecture, Map<String, FineTunedHead> heads) {
        this.architecture = architecture;
        this.heads = Map.copyOf(heads);
    }

    @Override
    public String describe() {
        return "BERT encoder + fine-tuned task heads";
    }

    /** The encoder (and pooler) only: what RegMean taps, with or without a head. */
    @Override
    public void forward(WeightLookup weights, String task, NDList inputs) {
        FineTunedHead head = heads.get(task);
        if (head != null) {
            logits(weights, task, inputs);
            return;
        }
        architecture.forward(weights, inputs.get(0), inputs.get(1), inputs.size() > 2 ? inputs.get(2) : null);
    }

    @Override
    public String noLogits(String task) {
        return heads.containsKey(task) ? null : "task '" + task + "' has no fine-tuned head (head.json) in its model "
                + "directory; RegMean and RegMean++ need none";
    }

    @Override
    public NDArray logits(WeightLookup weights, String task, NDList inputs) {
        FineTunedHead head = heads.get(task);
        if (head == null) {
            throw new AmalgamException("no fine-tuned head for task '" + task + "'; heads: " + new java.util.TreeSet<>(heads.keySet()));
        }
        NDArray mask = inputs.get(1);
        NDList out = architecture.forward(weights, inputs.get(0), mask, inputs.size() > 2 ? inputs.get(2) : null);
        String pooling = head.pooling() == null ? "mean" : head.pooling();
        NDArray pooled = switch (pooling) {
            case "mean" -> BertPooling.mean(out.get(0), mask);
            case "cls" -> BertPooling.cls(out.get(0));
            case "pooler" -> out.get(1);
            default -> throw new AmalgamException("task '" + task + "': unknown head pooling '" + pooling + "'");
        };
        NDArray logits = pooled.matMul(HeadMatrix.of(head.weight(), 1f, mask.getManager()).transpose());
        return head.bias() == null ? logits : logits.add(mask.getManager().create(head.bias()));
    }
}
