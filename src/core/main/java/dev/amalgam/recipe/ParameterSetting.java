package dev.amalgam.recipe;

import java.util.List;
import java.util.Map;

/**
 * A MergeKit parameter value as written in a recipe, evaluated for one tensor (docs/mergekit.md,
 * "Parameter values"): a scalar; a list of numbers, a gradient interpolated piecewise-linearly over
 * t ∈ [0, 1]; a list of other scalars, indexed by int(t·(n − 1)); or a list of conditionals
 * {@code {filter: SUBSTRING, value: V}} where the first entry whose filter is absent, {@code *}, or a
 * substring of the tensor name gives the value. Values are the raw objects the recipe parser keeps:
 * Number, Boolean, String, List, Map.
 */
public final class ParameterSetting {
    private ParameterSetting() {
    }

    /** The value for {@code tensorName} at layer position {@code t}, or null when no conditional matches. */
    public static Object evaluate(Object setting, String tensorName, double t) {
        if (setting == null || setting instanceof Number || setting instanceof Boolean || setting instanceof String) {
            return setting;
        }
        if (setting instanceof Map<?, ?> cond) {
            return evaluate(List.of(cond), tensorName, t);
        }
        if (!(setting instanceof List<?> list)) {
            throw new IllegalArgumentException("unexpected parameter value " + setting);
        }
        if (list.isEmpty()) {
            return null;
        }
        // Python's bool is an int, so a list of numbers and booleans is a gradient too.
        if (list.stream().allMatch(e -> e instanceof Number || e instanceof Boolean)) {
            double scaled = t * (list.size() - 1);
            int i0 = (int) scaled;
            int i1 = Math.min(list.size() - 1, i0 + 1);
            double frac = scaled - i0;
            return (1 - frac) * number(list.get(i0)) + frac * number(list.get(i1));
        }
        if (list.stream().noneMatch(e -> e instanceof Map || e instanceof List)) {
            return list.get((int) (t * (list.size() - 1)));
        }
        for (Object e : list) {
            Map<?, ?> cond = (Map<?, ?>) e;
            Object filter = cond.get("filter");
            if (filter == null || filter.equals("*") || (tensorName != null && tensorName.contains(filter.toString()))) {
                return evaluate(cond.get("value"), tensorName, t);
            }
        }
        return null;
    }

    private static double number(Object o) {
        return o instanceof Boolean b ? (b ? 1 : 0) : ((Number) o).doubleValue();
    }

    /** Whether the value can differ between tensors (a gradient, a list, or conditionals). */
    public static boolean varies(Object setting) {
        return setting instanceof List<?> || setting instanceof Map<?, ?>;
    }
}
