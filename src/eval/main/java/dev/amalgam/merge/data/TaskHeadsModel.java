package dev.amalgam.merge.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.amalgam.AmalgamException;
import dev.amalgam.model.WeightLookup;
import dev.amalgam.model.bert.BertEncoder;
import dev.amalgam.model.bert.BertPooling;
import dev.amalgam.model.clip.ClipModel;
import dev.amalgam.model.heads.ZeroShotHead;
import dev.amalgam.train.FineTunedHead;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * A backbone with each task's fixed classification head, the forward pass of the data-aware merges on classifiers:
 * logits = f · (s·W)ᵀ + b, with f the backbone's features for the task. Only the backbone's tensors are read through
 * the lookup; the heads are fixed. Two backbones:
 * <ul>
 *   <li>{@link #bert}: a BERT-family encoder with each task's fine-tuned head, f pooled as the head was trained
 *   (mean, cls or pooler), s = 1; inputs are the collator's [input_ids, attention_mask, token_type_ids];</li>
 *   <li>{@link #clip}: CLIP's image tower with each task's zero-shot head, as FusionBench's CLIP merges run it:
 *   f = unit(visual_projection(pooled)), s = exp(logit_scale), W the unit class embeddings, no bias.</li>
 * </ul>
 */
public final class TaskHeadsModel implements DataModel {

    /** One task's fixed head; {@code pooling} says how the backbone pools for it (null: the backbone's default). */
    private record Head(float[][] weight, float scale, float[] bias, String pooling) {
    }

    /** The backbone's features for {@code head}; with no head, the pass RegMean taps for a task that lacks one. */
    @FunctionalInterface
    private interface Features {
        NDArray of(WeightLookup weights, NDList inputs, String task, Head head);
    }

    private final String description;
    private final String headKind;
    private final String noHead;
    private final Features features;
    private final boolean unitFeatures;
    private final Map<String, Head> heads;

    private TaskHeadsModel(String description, String headKind, String noHead, Features features, boolean unitFeatures,
                           Map<String, Head> heads) {
        this.description = description;
        this.headKind = headKind;
        this.noHead = noHead;
        this.features = features;
        this.unitFeatures = unitFeatures;
        this.heads = Map.copyOf(heads);
    }

    /** @param architecture any encoder of the right config (its own weights are not used) */
    public static TaskHeadsModel bert(BertEncoder architecture, Map<String, FineTunedHead> heads) {
        Map<String, Head> h = new LinkedHashMap<>();
        heads.forEach((t, f) -> h.put(t, new Head(f.weight(), 1f, f.bias(), f.pooling())));
        return new TaskHeadsModel("BERT encoder + fine-tuned task heads", "fine-tuned head",
                "task '%s' has no fine-tuned head (head.json) in its model directory; RegMean and RegMean++ need none",
                (weights, inputs, task, head) -> {
                    NDArray mask = inputs.get(1);
                    NDList out = architecture.forward(weights, inputs.get(0), mask, inputs.size() > 2 ? inputs.get(2) : null);
                    if (head == null) {
                        return out.get(0);
                    }
                    String pooling = head.pooling() == null ? "mean" : head.pooling();
                    return switch (pooling) {
                        case "mean" -> BertPooling.mean(out.get(0), mask);
                        case "cls" -> BertPooling.cls(out.get(0));
                        case "pooler" -> out.get(1);
                        default -> throw new AmalgamException("task '" + task + "': unknown head pooling '" + pooling + "'");
                    };
                }, false, h);
    }

    /** @param architecture any model of the right config (its own weights are not used) */
    public static TaskHeadsModel clip(ClipModel architecture, Map<String, ZeroShotHead> heads) {
        Map<String, Head> h = new LinkedHashMap<>();
        heads.forEach((t, z) -> h.put(t, new Head(z.classWeights(), z.scale(), null, null)));
        return new TaskHeadsModel("CLIP image tower + zero-shot heads", "zero-shot head",
                "task '%s' has images but no zero-shot head: name its classes in its data block (task: NAME, or "
                        + "classes: [...]; docs/merging.md#data-aware-methods)",
                (weights, inputs, task, head) -> architecture.imageFeatures(weights, inputs.singletonOrThrow()), true, h);
    }

    @Override
    public String describe() {
        return description;
    }

    /** The backbone (pooled for the task's head when it has one): what RegMean taps; the fixed head adds no input. */
    @Override
    public void forward(WeightLookup weights, String task, NDList inputs) {
        features.of(weights, inputs, task, heads.get(task));
    }

    @Override
    public String noLogits(String task) {
        return heads.containsKey(task) ? null : noHead.formatted(task);
    }

    @Override
    public NDArray logits(WeightLookup weights, String task, NDList inputs) {
        Head head = heads.get(task);
        if (head == null) {
            throw new AmalgamException("no " + headKind + " for task '" + task + "'; heads: " + new TreeSet<>(heads.keySet()));
        }
        NDArray f = features.of(weights, inputs, task, head);
        if (unitFeatures) {
            f = f.div(f.norm(new int[] {-1}, true));
        }
        NDArray logits = f.matMul(HeadMatrix.of(head.weight(), head.scale(), inputs.get(0).getManager()).transpose());
        return head.bias() == null ? logits : logits.add(inputs.get(0).getManager().create(head.bias()));
    }
}
