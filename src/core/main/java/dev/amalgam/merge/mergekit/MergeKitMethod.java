package dev.amalgam.merge.mergekit;

import dev.amalgam.merge.ParamDef;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.AmalgamException;
import dev.amalgam.merge.MergeMethod;
import dev.amalgam.merge.TensorStep;
import dev.amalgam.merge.stages.StepViews;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;

/**
 * A MergeKit method on Amalgam's streaming executor. Each step's parameters are resolved for that
 * tensor ({@link TensorParameters}); the engine step holds θ_0 (the recipe's {@code base_model}, or
 * the first model when the recipe has none) and the task vectors τ_t of the other inputs in recipe
 * order. Subclasses compute on float arrays ({@link Inputs}); methods hold no state across tensors.
 */
public abstract class MergeKitMethod implements MergeMethod {
    protected final TensorParameters params;
    /** Whether the recipe names a base_model (else θ_0 of a step is just the first input model). */
    protected final boolean hasBase;

    protected MergeKitMethod(TensorParameters params, boolean hasBase) {
        this.params = params;
        this.hasBase = hasBase;
    }

    /** Global parameters, declared once. */
    public abstract List<ParamDef> globalParams();

    /** Per-model parameters, declared once. */
    public abstract List<ParamDef> modelParams();

    /** The dtype MergeKit writes when no out_dtype is given, if the method forces one (else null). */
    public dev.amalgam.io.DType forcedOutputDtype() {
        return null;
    }

    /** Whether the method needs {@code base_model}. */
    protected boolean needsBase() {
        return true;
    }

    /** The merged tensor as floats (length n). */
    protected abstract float[] merge(Inputs in, TensorParameters.Resolved p);

    /**
     * Every declared parameter with the value the merge uses: the recipe's global setting, else the
     * default ("per model" for a required per-model parameter not set globally; a per-model default
     * holds unless a model sets its own). E.g. {@code ties(lambda=1.0, normalize=true, ..., weight=1, density=0.5)}.
     */
    @Override
    public String describe() {
        Map<String, Object> set = params.globalSettings();
        List<String> parts = new java.util.ArrayList<>();
        java.util.Set<String> declared = new java.util.HashSet<>();
        List<ParamDef> all = new java.util.ArrayList<>(globalParams());
        all.addAll(modelParams());
        for (ParamDef d : all) {
            declared.add(d.name());
            String v;
            if (set.containsKey(d.name())) {
                v = String.valueOf(set.get(d.name()));
            } else if (d.perModel()) {
                v = d.required() ? "per model" : d.fallback() == null ? "per model or none" : d.fallback() + " unless per model";
            } else {
                v = d.required() ? "required" : String.valueOf(d.fallback());
            }
            parts.add(d.name() + "=" + v);
        }
        set.forEach((k, v) -> {
            if (!declared.contains(k)) {
                parts.add(k + "=" + v);
            }
        });
        return name() + "(" + String.join(", ", parts) + ")";
    }

    /**
     * For methods of base_model and exactly one other model (slerp, arcee_fusion): the base when there is
     * no other model, else null (then merge); any other count is an error naming the tensor.
     */
    protected float[] baseUnlessOneOther(Inputs in) {
        if (in.tasks() == 0) {
            return in.base();
        }
        if (in.tasks() != 1) {
            throw new AmalgamException(name() + ": merges base_model with exactly one other model, got " + in.tasks()
                    + " others (tensor " + in.name() + ")");
        }
        return null;
    }

    /** Checks the declarations against the recipe (called once before streaming). */
    public void validate(String where, List<Map<String, Object>> perModel) {
        if (needsBase() && !hasBase) {
            throw new AmalgamException(where + ": " + name() + " needs base_model");
        }
        List<ParamDef> all = new java.util.ArrayList<>(globalParams());
        all.addAll(modelParams());
        TensorParameters.checkKnown(name(), all, params.globalSettings(), where + ": parameters");
        for (Map<String, Object> m : perModel) {
            for (String k : m.keySet()) {
                if (globalParams().stream().anyMatch(d -> d.name().equals(k))) {
                    throw new AmalgamException(where + ": '" + k + "' is a global parameter of " + name()
                            + "; MergeKit reads it only from parameters: (or a slice's), so set it there");
                }
            }
            TensorParameters.checkKnown(name(), modelParams(), m, where + ": a model's parameters");
        }
    }

    /**
     * Fails early when a required per-model parameter has no value for some task model at any level
     * ({@code taskParams}: each task model's own parameters; {@code fallbacks}: slice parameters).
     */
    public void requireModelParams(String where, List<Map<String, Object>> taskParams, List<Map<String, Object>> fallbacks) {
        for (ParamDef d : modelParams()) {
            if (!d.required() || params.globalSettings().containsKey(d.name())
                    || fallbacks.stream().anyMatch(f -> f.containsKey(d.name()))) {
                continue;
            }
            for (int i = 0; i < taskParams.size(); i++) {
                if (!taskParams.get(i).containsKey(d.name())) {
                    throw new AmalgamException(where + (where.equals(name()) ? "" : ": " + name()) + ": needs '" + d.name()
                            + "' for every model (MergeKit has no default); model " + (i + 1) + " has none: give it per model, "
                            + "or for all under parameters: (flag form: --param " + d.name() + "=VALUE)");
                }
            }
        }
    }

    @Override
    public NDArray merge(TensorStep step) {
        Inputs in = Inputs.of(step);
        float[] out = merge(in, params.forTensor(step.name(), step.taskCount()));
        return step.manager().create(out, new Shape(step.info().shape()));
    }

    /**
     * One tensor's inputs as floats: θ_0 and the task vectors τ_t (copies; methods may change them).
     *
     * @param shape the tensor's shape
     */
    public record Inputs(String name, long[] shape, float[] base, float[][] deltas) {
        static Inputs of(TensorStep step) {
            int tasks = step.taskCount();
            float[][] d = new float[tasks][];
            StepViews v = step.views();
            float[] base;
            if (v != null) {
                base = copy(v.base(), v.n());
                java.util.stream.IntStream.range(0, tasks).parallel().forEach(t -> d[t] = copy(v.rows()[t], v.n()));
            } else {
                base = step.base().toFloatArray();
                for (int t = 0; t < tasks; t++) {
                    d[t] = step.taskVector(t).toFloatArray();
                }
            }
            return new Inputs(step.name(), step.info().shape(), base, d);
        }

        private static float[] copy(FloatBuffer b, int n) {
            float[] a = new float[n];
            b.duplicate().position(0).get(a, 0, n);
            return a;
        }

        public int n() {
            return base.length;
        }

        public int tasks() {
            return deltas.length;
        }

        /** θ of task t (a new array). */
        public float[] model(int t) {
            float[] m = new float[base.length];
            float[] d = deltas[t];
            for (int i = 0; i < m.length; i++) {
                m[i] = base[i] + d[i];
            }
            return m;
        }

        /** The tensor as [rows, cols] with cols the last dimension (1-D: one row). */
        public int cols() {
            return shape.length == 0 ? 1 : (int) shape[shape.length - 1];
        }
    }
}
