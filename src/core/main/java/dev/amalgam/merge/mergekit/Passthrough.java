package dev.amalgam.merge.mergekit;

import dev.amalgam.merge.ParamDef;
import dev.amalgam.AmalgamException;

import java.util.List;

/**
 * MergeKit {@code passthrough}: each output tensor is its one input tensor, times the source's
 * optional {@code scale}. With {@code slices} this stacks layers of different models (frankenmerges).
 * Math: docs/methods/mergekit-methods.md §7.
 */
public final class Passthrough extends MergeKitMethod {
    static final ParamDef SCALE = ParamDef.perModel("scale", ParamDef.Type.NUMBER, null, "multiplies the tensor (optional)");

    public Passthrough(TensorParameters params, boolean hasBase) {
        super(params, hasBase);
    }

    @Override
    public String name() {
        return "passthrough";
    }

    @Override
    protected boolean needsBase() {
        return false;
    }

    @Override
    public List<ParamDef> globalParams() {
        return List.of();
    }

    @Override
    public List<ParamDef> modelParams() {
        return List.of(SCALE);
    }

    @Override
    protected float[] merge(Inputs in, TensorParameters.Resolved p) {
        if (in.tasks() != 0) {
            throw new AmalgamException("passthrough: takes exactly one model per tensor, got " + (in.tasks() + 1)
                    + " (tensor " + in.name() + "); give one source per slice");
        }
        Object scale = p.model(SCALE, 0);
        float[] x = in.base();
        if (scale != null) {
            float s = ((Number) scale).floatValue();
            for (int i = 0; i < x.length; i++) {
                x[i] *= s;
            }
        }
        return x;
    }
}
