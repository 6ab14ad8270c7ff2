package dev.amalgam.merge.ops;

import dev.amalgam.AmalgamException;

import java.util.Locale;

/** TIES disjoint merge functions (docs/methods/merge-methods.md §3.1 step 4). */
public enum MergeFunction {
    /** τ_m = Σ_t sel_t. */
    DIS_SUM("dis-sum"),
    /** τ_m = Σ_t sel_t / max(1, Σ_t w_t [sel_t ≠ 0]) (= MergeKit normalize=true). */
    DIS_MEAN("dis-mean"),
    /** τ_m = s ⊙ max_t |sel_t|. */
    DIS_MAX("dis-max");

    private final String label;

    MergeFunction(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Accepts dis-sum / sum / dis_sum (and mean, max likewise). */
    public static MergeFunction parse(String method, String s) {
        String v = s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        switch (v) {
            case "dis-sum": case "sum": return DIS_SUM;
            case "dis-mean": case "mean": return DIS_MEAN;
            case "dis-max": case "max": return DIS_MAX;
            default:
                throw new AmalgamException(method + ": parameter 'merge' must be dis-sum, dis-mean or dis-max, got '" + s + "'");
        }
    }
}
