package dev.amalgam.merge.mergekit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The MergeKit methods Amalgam implements, by recipe name, with MergeKit's semantics and defaults
 * (docs/mergekit.md). A recipe or flag that names one of these gets exactly MergeKit's method.
 */
public final class MergeKitMethods {

    /** Builds a method for one recipe. */
    public interface Factory {
        MergeKitMethod create(TensorParameters params, boolean hasBase, long seed);
    }

    /** One registry row: the factory and a one-line description. */
    public record Entry(String name, Factory factory, String doc) {
    }

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        add("linear", (p, b, s) -> new Linear(p, b), "weighted average of every input model (Wortsman et al. 2022)");
        add("slerp", (p, b, s) -> new SlerpMerge(p, b), "spherical interpolation from base_model (t = 0) to one other model");
        add("nuslerp", (p, b, s) -> new NuSlerp(p, b), "SLERP of two models or of their task vectors, by weights");
        add("multislerp", (p, b, s) -> new MultiSlerp(p, b), "barycentric SLERP of any number of models");
        add("karcher", (p, b, s) -> new Karcher(p, b), "Riemannian (Karcher) mean of every input model");
        for (GeneralizedTaskArithmetic.Variant v : GeneralizedTaskArithmetic.VARIANTS) {
            add(v.name(), (p, b, s) -> new GeneralizedTaskArithmetic(v, p, b, s), v.doc());
        }
        add("sce", (p, b, s) -> new Sce(p, b), "variance-selected, sign-erased, energy-weighted task vectors");
        add("model_stock", (p, b, s) -> new ModelStockMerge(p, b), "interpolate the fine-tunes' mean toward base by their angle (Jang et al. 2024)");
        add("arcee_fusion", (p, b, s) -> new ArceeFusion(p, b), "keep the important changes of one model (KL × |Δ| above median + 1.5·IQR)");
        add("passthrough", (p, b, s) -> new Passthrough(p, b), "copy tensors unchanged (layer stacking with slices)");
    }

    private MergeKitMethods() {
    }

    private static void add(String name, Factory f, String doc) {
        ENTRIES.put(name, new Entry(name, f, doc));
    }

    public static boolean has(String name) {
        return ENTRIES.containsKey(name);
    }

    public static Entry get(String name) {
        return ENTRIES.get(name);
    }

    public static Map<String, Entry> all() {
        return Collections.unmodifiableMap(ENTRIES);
    }

    /** MergeKit methods Amalgam refuses, with the reason (docs/mergekit.md). */
    public static final Map<String, String> REFUSED = Map.of(
            "nearswap", "not implemented",
            "ram", "not implemented",
            "ramplus_tl", "not implemented");

    /** A method instance, only to read its declarations (help text, docs). */
    public static MergeKitMethod describe(String name) {
        return get(name).factory().create(TensorParameters.of(name, Map.of()), true, 0);
    }

    /** Names for help text. */
    public static List<String> names() {
        return new ArrayList<>(ENTRIES.keySet());
    }
}
