package dev.amalgam.merge.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.amalgam.AmalgamException;
import dev.amalgam.model.heads.ZeroShotHead;
import dev.amalgam.model.WeightLookup;
import dev.amalgam.model.clip.ClipModel;

import java.util.Map;

/**
 * CLIP's image tower with each task's frozen zero-shot head, as FusionBench's CLIP merges run it:
 * logits = exp(logit_scale) · unit(visual_projection(pooled)) · unit(class embeddings)ᵀ. Only the
 * tensors of the image tower and the projection are read through the lookup; the heads are fixed.
 */
public final class ClipZeroShotModel implements DataModel {
    private final ClipModel architecture;
    private final Map<String, ZeroShotHead> heads;

    /** @param architecture any model of the right config (its own weights are not used) */
    public ClipZeroShotModel(ClipModel architecture, Map<String, ZeroShotHead> heads) {
        this.architecture = architecture;
        this.heads = Map.copyOf(heads);
    }

    @Override
    public String describe() {
        return "CLIP image tower + zero-shot heads";
    }

    /** The image tower and projection only: what RegMean taps, with or without a head. */
    @Override
    public void forward(WeightLookup weights, String task, NDList inputs) {
        architecture.imageFeatures(weights, inputs.singletonOrThrow());
    }

    @Override
    public String noLogits(String task) {
        return heads.containsKey(task) ? null : "task '" + task + "' has images but no zero-shot head: name its classes in "
                + "its data block (task: NAME, or classes: [...]; docs/merging.md#data-aware-methods)";
    }

    @Override
    public NDArray logits(WeightLookup weights, String task, NDList inputs) {
        NDArray pixels = inputs.singletonOrThrow();
        ZeroShotHead head = heads.get(task);
        if (head == null) {
            throw new AmalgamException("no zero-shot head for task '" + task + "'; heads: " + new java.util.TreeSet<>(heads.keySet()));
        }
        NDArray f = architecture.imageFeatures(weights, pixels);
        NDArray unit = f.div(f.norm(new int[] {-1}, true));
        return unit.matMul(HeadMatrix.of(head.classWeights(), head.scale(), pixels.getManager()).transpose());
    }
}
