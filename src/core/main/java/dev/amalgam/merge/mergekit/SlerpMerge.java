package dev.amalgam.merge.mergekit;

import dev.amalgam.merge.ParamDef;
import java.util.List;

/**
 * MergeKit {@code slerp}: spherical interpolation between {@code base_model} (t = 0, whatever its place
 * in the list) and the one other model (t = 1), per tensor on the flattened raw weights.
 * Math: docs/methods/mergekit-methods.md §3.
 */
public final class SlerpMerge extends MergeKitMethod {
    static final ParamDef T = ParamDef.requiredGlobal("t", ParamDef.Type.NUMBER, "interpolation factor: 0 = base_model, 1 = the other model");

    public SlerpMerge(TensorParameters params, boolean hasBase) {
        super(params, hasBase);
    }

    @Override
    public String name() {
        return "slerp";
    }

    @Override
    public List<ParamDef> globalParams() {
        return List.of(T);
    }

    @Override
    public List<ParamDef> modelParams() {
        return List.of();
    }

    @Override
    protected float[] merge(Inputs in, TensorParameters.Resolved p) {
        float[] only = baseUnlessOneOther(in);
        if (only != null) {
            return only;
        }
        return SphericalMath.slerp(p.number(T), in.base(), in.model(0));
    }
}
