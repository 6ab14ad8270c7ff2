package dev.amalgam.merge.mergekit;

import dev.amalgam.AmalgamException;
import dev.amalgam.merge.MergeMethod;
import dev.amalgam.merge.MethodParams;
import dev.amalgam.recipe.ParameterSetting;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * MergeKit methods built from flat engine parameters ({@code --param}, {@code amalgam run} cells,
 * LwPTV-wrapped merges): every value global, one per tensor, θ_0 the base model. Gradients and
 * filters need a plan of layer positions and so a MergeKit recipe; here they are refused.
 */
public final class EngineAdapters {
    /** Keys that select Amalgam's paper variant of a MergeKit-named method instead of MergeKit's. */
    private static final Map<String, Set<String>> VARIANT_KEYS = Map.of(
            "ties", Set.of("scope", "k", "merge"),
            "breadcrumbs", Set.of("variant", "alpha", "beta"),
            "breadcrumbs_ties", Set.of("variant", "alpha", "beta", "merge"),
            "dare_ties", Set.of("p", "combine", "weights", "scope", "k", "merge"),
            "dare_linear", Set.of("p", "combine", "weights"),
            "model_stock", Set.of("average", "ignore_keys"),
            "task_arithmetic", Set.of("weights"));

    private EngineAdapters() {
    }

    /** Whether {@code params} select Amalgam's paper variant of MergeKit method {@code name}. */
    public static boolean selectsVariant(String name, Map<String, ?> params) {
        Set<String> keys = VARIANT_KEYS.get(name);
        return keys != null && params.keySet().stream().anyMatch(keys::contains);
    }

    /** Whether {@code name} with {@code params} means MergeKit's method. */
    public static boolean isMergeKit(String name, Map<String, ?> params) {
        return MergeKitMethods.has(name) && !selectsVariant(name, params);
    }

    public static MergeMethod create(MethodParams p) {
        Map<String, Object> settings = new LinkedHashMap<>(p.asMap());
        Object seed = settings.remove("seed");
        for (Map.Entry<String, Object> e : settings.entrySet()) {
            if (ParameterSetting.varies(e.getValue())) {
                throw new AmalgamException(p.method() + ": parameter '" + e.getKey() + "' is a gradient or filter list; "
                        + "those need a MergeKit recipe (amalgam merge RECIPE.yaml), which knows each tensor's layer");
            }
        }
        long s = seed == null ? 0L : Long.parseLong(seed.toString());
        MergeKitMethod m = MergeKitMethods.get(p.method()).factory().create(TensorParameters.of(p.method(), settings), true, s);
        m.validate(p.method(), java.util.List.of());
        m.requireModelParams(p.method(), java.util.List.of(Map.of()), java.util.List.of());
        return m;
    }
}
