package dev.amalgam.merge.mergekit;

import dev.amalgam.merge.ParamDef;
import dev.amalgam.AmalgamException;
import dev.amalgam.recipe.ParameterSetting;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Resolves MergeKit parameters for one tensor with MergeKit's precedence (docs/mergekit.md): the
 * input's own (slice source or {@code models:} entry) parameters, then the slice's, then the global
 * ones, each evaluated for the tensor (gradients at the tensor's t, filters against its name); a
 * level whose value evaluates to nothing (no matching filter) falls through to the next.
 */
public final class TensorParameters {
    private final String method;
    private final Map<String, Object> global;
    private final Function<String, TensorContext> contexts;

    public TensorParameters(String method, Map<String, Object> global, Function<String, TensorContext> contexts) {
        this.method = method;
        this.global = global;
        this.contexts = contexts;
    }

    /** A resolver for a plain models-only merge: every tensor at t = 0 unless {@code positions} says otherwise. */
    public static TensorParameters of(String method, Map<String, Object> global) {
        return new TensorParameters(method, global, name -> null);
    }

    public String method() {
        return method;
    }

    public Map<String, Object> globalSettings() {
        return global;
    }

    /** Refuses keys no declaration names (MergeKit ignores them; a typo must not pass silently). */
    public static void checkKnown(String method, List<ParamDef> defs, Map<String, Object> settings, String where) {
        Set<String> known = new HashSet<>();
        defs.forEach(d -> known.add(d.name()));
        for (String k : settings.keySet()) {
            if (!known.contains(k)) {
                throw new AmalgamException(where + ": " + method + " has no parameter '" + k + "'; it takes "
                        + (known.isEmpty() ? "none" : new java.util.TreeSet<>(known)));
            }
        }
    }

    /** The parameters of one tensor. */
    public Resolved forTensor(String tensor, int tasks) {
        TensorContext c = contexts.apply(tensor);
        return new Resolved(tensor, c, tasks);
    }

    /** Parameter values for one tensor. */
    public final class Resolved {
        private final String tensor;
        private final TensorContext ctx;
        private final int tasks;

        Resolved(String tensor, TensorContext ctx, int tasks) {
            this.tensor = tensor;
            this.ctx = ctx;
            this.tasks = tasks;
        }

        public String tensor() {
            return tensor;
        }

        /** A global parameter. */
        public Object global(ParamDef d) {
            double t = ctx == null ? 0 : ctx.t();
            Object v = null;
            if (ctx != null && ctx.sliceParams().containsKey(d.name())) {
                v = ParameterSetting.evaluate(ctx.sliceParams().get(d.name()), tensor, t);
            }
            if (v == null && global.containsKey(d.name())) {
                v = ParameterSetting.evaluate(global.get(d.name()), tensor, t);
            }
            return finish(d, v, null);
        }

        /** A per-model parameter of engine input {@code input} (tasks 0..T−1, the base at T). */
        public Object model(ParamDef d, int input) {
            double t = ctx == null ? 0 : ctx.t();
            String name = ctx == null ? tensor : ctx.inputNames().get(input);
            Object v = null;
            if (ctx != null) {
                Map<String, Object> own = ctx.inputParams().get(input);
                if (own.containsKey(d.name())) {
                    v = ParameterSetting.evaluate(own.get(d.name()), name, t);
                }
                if (v == null && ctx.sliceParams().containsKey(d.name())) {
                    v = ParameterSetting.evaluate(ctx.sliceParams().get(d.name()), name, t);
                }
            }
            if (v == null && global.containsKey(d.name())) {
                v = ParameterSetting.evaluate(global.get(d.name()), name, t);
            }
            return finish(d, v, input);
        }

        public double number(ParamDef d) {
            return ((Number) global(d)).doubleValue();
        }

        public boolean bool(ParamDef d) {
            return (Boolean) global(d);
        }

        /** The per-model values for tasks 0..T−1. */
        public double[] perTask(ParamDef d) {
            double[] out = new double[tasks];
            for (int i = 0; i < tasks; i++) {
                out[i] = ((Number) model(d, i)).doubleValue();
            }
            return out;
        }

        private Object finish(ParamDef d, Object v, Integer input) {
            if (v == null) {
                if (d.required()) {
                    String who = input == null ? "" : input == tasks ? " of the base model" : " of model " + (input + 1);
                    throw new AmalgamException(method + ": missing required parameter '" + d.name() + "'" + who
                            + " for tensor " + tensor + " (MergeKit has no default for it)");
                }
                return d.fallback();
            }
            return convert(d, v);
        }

        private Object convert(ParamDef d, Object v) {
            String bad = method + ": parameter '" + d.name() + "' must be ";
            switch (d.type()) {
                case BOOLEAN:
                    if (v instanceof Boolean) {
                        return v;
                    }
                    if (v instanceof String s) {
                        String x = s.trim().toLowerCase(Locale.ROOT);
                        if (x.equals("true") || x.equals("false")) {
                            return Boolean.parseBoolean(x);
                        }
                    }
                    if (v instanceof Number n) {
                        return n.doubleValue() != 0; // Python truthiness, as MergeKit reads it
                    }
                    throw new AmalgamException(bad + "true or false, got '" + v + "' (tensor " + tensor + ")");
                case INTEGER:
                case NUMBER:
                    double x;
                    if (v instanceof Number n) {
                        x = n.doubleValue();
                    } else {
                        try {
                            x = Double.parseDouble(v.toString().trim());
                        } catch (NumberFormatException e) {
                            throw new AmalgamException(bad + "a number, got '" + v + "' (tensor " + tensor + ")");
                        }
                    }
                    if (d.type() == ParamDef.Type.INTEGER && x != Math.rint(x)) {
                        throw new AmalgamException(bad + "an integer, got " + v + " (tensor " + tensor + ")");
                    }
                    return x;
                default:
                    throw new IllegalStateException();
            }
        }
    }
}
