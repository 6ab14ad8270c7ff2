package dev.amalgam.merge;

import dev.amalgam.AmalgamException;
import dev.amalgam.merge.mergekit.EngineAdapters;
import dev.amalgam.merge.mergekit.MergeKitMethods;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Registry of merge methods: recipe name → factory reading {@link MethodParams}. One line per name. */
public final class MergeMethods {
    private static final Map<String, Function<MethodParams, MergeMethod>> FACTORIES = new TreeMap<>();

    static {
        FACTORIES.put("weight_average", WeightAverage::fromParams);
        FACTORIES.put("task_arithmetic", TaskArithmetic::fromParams);
        FACTORIES.put("ties", Ties::fromParams);
        FACTORIES.put("dare", Dare::fromParams);
        FACTORIES.put("breadcrumbs", Breadcrumbs::fromParams);
        // Paper variants under MergeKit names, reached only through their own keys (EngineAdapters).
        FACTORIES.put("breadcrumbs_ties", Breadcrumbs::fromParams);
        FACTORIES.put("dare_ties", Dare::fromParams);
        FACTORIES.put("dare_linear", Dare::fromParams);
        FACTORIES.put("tall_masks", TallMasks::fromParams);
        FACTORIES.put("consensus", Consensus::fromParams);
        FACTORIES.put("emr", Emr::fromParams);
        FACTORIES.put("model_stock", ModelStock::fromParams);
        FACTORIES.put(Cart.NAME, Cart::fromParams);
        FACTORIES.put(Tsvm.NAME, Tsvm::fromParams);
        FACTORIES.put("tsvm", Tsvm::fromParams);
        FACTORIES.put("tsv-m", Tsvm::fromParams);
        FACTORIES.put(IsoC.NAME, IsoC::fromParams);
        FACTORIES.put(IsoCts.NAME, IsoCts::fromParams);
        // Data-aware: run the model on each task's examples first (docs/methods/data-aware.md).
        FACTORIES.put(dev.amalgam.merge.data.RegMean.NAME, dev.amalgam.merge.data.RegMean::fromParams);
        FACTORIES.put(dev.amalgam.merge.data.RegMeanPlusPlus.NAME, dev.amalgam.merge.data.RegMeanPlusPlus::fromParams);
        FACTORIES.put(dev.amalgam.merge.data.FisherMerging.NAME, dev.amalgam.merge.data.FisherMerging::fromParams);
        FACTORIES.put(dev.amalgam.merge.data.AdaMerging.NAME, dev.amalgam.merge.data.AdaMerging::fromParams);
    }

    private MergeMethods() {
    }

    /**
     * Builds the method named by {@link MethodParams#method()}. A MergeKit method name means MergeKit's
     * method (docs/mergekit.md) unless its parameters select Amalgam's paper variant explicitly (e.g.
     * {@code ties} with {@code scope}, {@code breadcrumbs} with {@code variant}).
     */
    public static MergeMethod create(MethodParams params) {
        if (EngineAdapters.isMergeKit(params.method(), params.asMap())) {
            return EngineAdapters.create(params);
        }
        Function<MethodParams, MergeMethod> f = FACTORIES.get(params.method());
        if (f == null) {
            throw new AmalgamException("unknown merge method '" + params.method() + "'; known: " + names());
        }
        return f.apply(params);
    }

    /** Every method name: Amalgam's engine methods and MergeKit's. */
    public static java.util.SortedSet<String> names() {
        java.util.SortedSet<String> all = new java.util.TreeSet<>(FACTORIES.keySet());
        all.addAll(MergeKitMethods.names());
        return all;
    }

    public static Map<String, Function<MethodParams, MergeMethod>> all() {
        return Collections.unmodifiableMap(FACTORIES);
    }
}
