package dev.amalgam.demo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The methods the demo runs, each with its published default hyperparameters (see docs/methods/ and
 * the reference specs): CLIP-8-task defaults where the papers give them; the data-aware ones last.
 * SLERP is left out: it merges exactly two models.
 */
public final class DemoMethods {
    private DemoMethods() {
    }

    /** One row; {@code slow} rows are left out of a default demo run for time and named on request. */
    public record Method(String label, String name, Map<String, Object> params, boolean slow) {
        public Method(String label, String name, Map<String, Object> params) {
            this(label, name, params, false);
        }

        Method asSlow() {
            return new Method(label, name, params, true);
        }
    }

    /**
     * The demo's data budget, below FusionBench's (256 examples, 1000 AdaMerging steps) so that the text
     * suite's data passes on MiniLM stay in minutes on 2 cores (docs/performance.md#data-aware-merges).
     */
    static final int EXAMPLES = 64;
    static final int ADAMERGING_STEPS = 50;

    public static List<Method> all() {
        return List.of(
                m("Weight averaging", "weight_average"),
                m("Task Arithmetic (λ=0.3)", "task_arithmetic", "lambda", 0.3, "weight", 1.0),
                m("TIES (k=20, dis-sum, λ=0.3, global)", "ties", "scope", "global", "k", 20, "merge", "dis-sum", "lambda", 0.3),
                m("DARE+TA (p=0.5, λ=0.3)", "dare"),
                m("Breadcrumbs (β=0.15, γ=0.006, α=0.2)", "breadcrumbs", "variant", "rows", "beta", 0.15, "gamma", 0.006, "alpha", 0.2),
                m("Consensus TA (k=2, α=0.3)", "consensus"),
                m("TALL masks (λ=0.6)", "tall_masks"),
                m("EMR", "emr"),
                m("Model Stock", "model_stock"),
                m("CART (rank 0.12, λ=2.0)", "cart"),
                m("TSV-M (α=1.0)", "tsv_m"),
                m("Iso-C (α=1.0)", "iso_c"),
                m("Iso-CTS (α=1.0)", "iso_cts"),
                // slow on 2 cores (docs/performance.md): WUDI ≈ 10 TFLOP per text-suite merge
                m("WUDI (400 Adam steps, lr 1e-5)", "wudi").asSlow(),

                // data-aware (docs/methods/data-aware.md): the suite hands over each task's unlabeled examples
                m("RegMean (α=0.95, " + EXAMPLES + " train ex.)", "regmean", "examples", EXAMPLES),
                m("RegMean++ (α=0.95, " + EXAMPLES + " train ex.)", "regmean_plusplus", "examples", EXAMPLES).asSlow(),
                m("Fisher merging (" + EXAMPLES + " train ex.)", "fisher_merging", "examples", EXAMPLES),
                m("AdaMerging task-wise (λ₀=0.3, " + ADAMERGING_STEPS + " steps, test inputs)", "adamerging",
                        "granularity", "task", "steps", ADAMERGING_STEPS).asSlow(),
                m("AdaMerging layer-wise (λ₀=0.3, " + ADAMERGING_STEPS + " steps, test inputs)", "adamerging",
                        "granularity", "layer", "steps", ADAMERGING_STEPS).asSlow());
    }

    private static Method m(String label, String name, Object... kv) {
        Map<String, Object> p = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            p.put((String) kv[i], kv[i + 1]);
        }
        return new Method(label, name, p);
    }
}
