package dev.amalgam.serving;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.amalgam.AmalgamException;
import dev.amalgam.model.HfModelBlock;
import dev.amalgam.model.registry.ModelRegistry;
import dev.amalgam.model.clip.ClipModel;

import java.nio.file.Path;
import java.util.List;

/**
 * CLIP image tower + a zero-shot head: {@code [pixel_values [B, 3, S, S]]} →
 * {@code [logits [B, K]]} = scale · (f/|f|) · Wᵀ with unit class rows W.
 */
public final class ZeroShotImageBlock extends AbstractBlock implements AutoCloseable {
    private final ClipModel clip;
    private final NDArray weightT;
    private final float scale;
    private final List<String> labels;

    private ZeroShotImageBlock(ClipModel clip, ZeroShotHeadFiles.Loaded head) {
        this.clip = clip;
        this.labels = head.labels();
        this.scale = head.scale();
        NDArray w = clip.manager().create(head.weight());
        if (w.getShape().get(1) != clip.config().projectionDim()) {
            throw new AmalgamException("head.safetensors: class vectors have " + w.getShape().get(1)
                    + " dims, the CLIP projection has " + clip.config().projectionDim());
        }
        this.weightT = w.transpose();
    }

    public static ZeroShotImageBlock load(Path dir, NDManager parent) {
        ZeroShotHeadFiles.Loaded head = ZeroShotHeadFiles.read(dir);
        HfModelBlock block = ModelRegistry.fromCheckpoint(dir, parent);
        if (!(block instanceof ClipModel clip)) {
            block.close();
            throw new AmalgamException(dir.resolve("config.json") + ": not a CLIP model");
        }
        return new ZeroShotImageBlock(clip, head);
    }

    public List<String> labels() {
        return labels;
    }

    public int imageSize() {
        return clip.config().imageSize();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray f = clip.imageFeatures(inputs.singletonOrThrow());
        NDArray unit = f.div(f.norm(new int[] {-1}, true));
        return new NDList(unit.matMul(weightT).mul(scale));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), labels.size())};
    }

    @Override
    public void close() {
        clip.close();
    }
}
