package dev.amalgam.merge;

import dev.amalgam.AmalgamException;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Registry of merge methods: recipe name → factory reading {@link MethodParams}. One line per name. */
public final class MergeMethods {
    private static final Map<String, Function<MethodParams, MergeMethod>> FACTORIES = new TreeMap<>();

    static {
        FACTORIES.put("weight_average", WeightAverage::fromParams);
        FACTORIES.put("linear", WeightAverage::fromParams);
        FACTORIES.put("task_arithmetic", TaskArithmetic::fromParams);
        FACTORIES.put("ties", Ties::fromParams);
        FACTORIES.put("dare", Dare::fromParams);
        FACTORIES.put("dare_linear", Dare::fromParams);
        FACTORIES.put("dare_ties", Dare::fromParams);
        FACTORIES.put("breadcrumbs", Breadcrumbs::fromParams);
        FACTORIES.put("breadcrumbs_ties", Breadcrumbs::fromParams);
        FACTORIES.put("tall_masks", TallMasks::fromParams);
        FACTORIES.put("consensus", Consensus::fromParams);
        FACTORIES.put("emr", Emr::fromParams);
        FACTORIES.put("model_stock", ModelStock::fromParams);
        FACTORIES.put("slerp", Slerp::fromParams);
        FACTORIES.put(Cart.NAME, Cart::fromParams);
        FACTORIES.put(Tsvm.NAME, Tsvm::fromParams);
        FACTORIES.put("tsvm", Tsvm::fromParams);
        FACTORIES.put(IsoC.NAME, IsoC::fromParams);
        FACTORIES.put(IsoCts.NAME, IsoCts::fromParams);
    }

    private MergeMethods() {
    }

    /** Builds the method named by {@link MethodParams#method()}. */
    public static MergeMethod create(MethodParams params) {
        Function<MethodParams, MergeMethod> f = FACTORIES.get(params.method());
        if (f == null) {
            throw new AmalgamException("unknown merge method '" + params.method() + "'; known: " + FACTORIES.keySet());
        }
        return f.apply(params);
    }

    public static Map<String, Function<MethodParams, MergeMethod>> all() {
        return Collections.unmodifiableMap(FACTORIES);
    }
}
