package dev.amalgam.merge.job;

import dev.amalgam.AmalgamException;
import dev.amalgam.merge.mergekit.EngineAdapters;
import dev.amalgam.merge.mergekit.MergeKitMethods;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import dev.amalgam.merge.Breadcrumbs;
import dev.amalgam.merge.Cart;
import dev.amalgam.merge.Consensus;
import dev.amalgam.merge.Dare;
import dev.amalgam.merge.Emr;
import dev.amalgam.merge.IsoC;
import dev.amalgam.merge.IsoCts;
import dev.amalgam.merge.MergeMethod;
import dev.amalgam.merge.MethodParams;
import dev.amalgam.merge.ModelStock;
import dev.amalgam.merge.ParamDef;
import dev.amalgam.merge.TallMasks;
import dev.amalgam.merge.TaskArithmetic;
import dev.amalgam.merge.Ties;
import dev.amalgam.merge.Tsvm;
import dev.amalgam.merge.WeightAverage;
import dev.amalgam.merge.Wudi;

/**
 * Registry of Amalgam's engine methods: recipe name → factory reading {@link MethodParams}, the
 * method's parameter declarations and a one-line description (what it computes; where its defaults
 * come from). {@code merge --help} and docs/merging.md's parameter table are generated from it.
 */
public final class MergeMethods {

    /** One engine method: recipe name, factory, declared parameters, description, other accepted names. */
    public record Entry(String name, Function<MethodParams, MergeMethod> factory, List<ParamDef> params, String doc,
                        List<String> aliases) {
    }

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();
    private static final Map<String, Function<MethodParams, MergeMethod>> FACTORIES = new TreeMap<>();

    static {
        add("weight_average", WeightAverage::fromParams, WeightAverage.PARAMS,
                "Σ w_t θ_t / Σ w_t over the fine-tunes, no base (model soup)");
        add("task_arithmetic", TaskArithmetic::fromParams, TaskArithmetic.PARAMS,
                "θ_0 + λ Σ w_t τ_t; reached with `weights` (else MergeKit's); the CLIP 8-task papers use λ 0.3: set it");
        add("ties", Ties::fromParams, Ties.PARAMS,
                "trim top-k %, elect sign, disjoint merge; reached with scope/k/merge; defaults: ViT 8 tasks (FusionBench), global top-k as the paper");
        add("dare", Dare::fromParams, Dare.PARAMS,
                "drop with probability p, rescale by 1/(1 − p), then TA or TIES; dare_ties/dare_linear reach it with p/combine/weights; defaults: FusionBench DARE configs",
                "dare_ties", "dare_linear");
        add("breadcrumbs", Breadcrumbs::fromParams, Breadcrumbs.PARAMS,
                "drop the top γ and keep the top β of each row (or tensor); reached with variant/alpha/beta; defaults: the paper's initial point",
                "breadcrumbs_ties");
        add("tall_masks", TallMasks::fromParams, TallMasks.PARAMS,
                "per-task masks m_t = |τ_t| > λ|τ_MTL − τ_t|, per-task models; λ: FusionBench's data-free value");
        add("consensus", Consensus::fromParams, Consensus.PARAMS,
                "τ_MTL ⊙ [Σ_t m_t ≥ k] from the TALL masks; k from the TALL repo, α the TA default");
        add("emr", Emr::fromParams, Emr.PARAMS, "elect, mask, rescale: per-task models, tuning-free");
        add("model_stock", ModelStock::fromParams, ModelStock.PARAMS,
                "per-tensor interpolation from the angle between fine-tunes; reached with average/ignore_keys; defaults: FusionBench");
        add(Cart.NAME, Cart::fromParams, Cart.PARAMS,
                "θ_avg + λ Σ_t SVD_k(θ_t − θ_avg) on attention/MLP matrices; defaults: CART's 8-task config");
        add(Tsvm.NAME, Tsvm::fromParams, Tsvm.PARAMS, "task singular vectors, orthogonalised; defaults: FusionBench",
                "tsvm", "tsv-m");
        add(IsoC.NAME, IsoC::fromParams, IsoC.PARAMS, "isotropic (flattened) spectrum of the summed task vectors; FusionBench");
        add(IsoCts.NAME, IsoCts::fromParams, IsoCts.PARAMS,
                "isotropic spectrum over a common and per-task subspaces; defaults: FusionBench");
        add(Wudi.NAME, Wudi::fromParams, Wudi.PARAMS,
                "per matrix, Adam on the task vectors' interference objective (data-free, WUDI); defaults: FusionBench");
        for (MergeMethodProvider p : java.util.ServiceLoader.load(MergeMethodProvider.class,
                MergeMethods.class.getClassLoader())) {
            p.methods().forEach(e -> add(e.name(), e.factory(), e.params(), e.doc(), e.aliases().toArray(String[]::new)));
        }
    }

    private static void add(String name, Function<MethodParams, MergeMethod> factory, List<ParamDef> params, String doc,
                            String... aliases) {
        ENTRIES.put(name, new Entry(name, factory, params, doc, List.of(aliases)));
        FACTORIES.put(name, factory);
        for (String a : aliases) {
            FACTORIES.put(a, factory);
        }
    }

    /** The engine methods in registry order (aliases folded into their entry). */
    public static java.util.Collection<Entry> entries() {
        return Collections.unmodifiableCollection(ENTRIES.values());
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
