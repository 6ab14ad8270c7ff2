package dev.amalgam.merge.lwptv;

import dev.amalgam.AmalgamException;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Per task, keeps the ceil(ratio · L) layers with the highest saliency and prunes the rest
 * (ties broken by layer order, so the result is deterministic). L counts only the layers with a
 * score: a NaN score (the task did not change that layer, e.g. a frozen text tower) is kept — pruning
 * it would be a no-op — and does not use up the budget.
 */
public final class KeepRatioMaskRule implements MaskRule {
    private final double ratio;

    public KeepRatioMaskRule(double ratio) {
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new AmalgamException("lwptv: keep_ratio must be in [0, 1], got " + ratio);
        }
        this.ratio = ratio;
    }

    @Override
    public String name() {
        return "keep_ratio";
    }

    @Override
    public String describe() {
        return "keep_ratio(" + ratio + ")";
    }

    @Override
    public boolean[][] mask(double[][] s) {
        boolean[][] m = new boolean[s.length][];
        for (int t = 0; t < s.length; t++) {
            int layers = s[t].length;
            int scored = 0;
            for (double v : s[t]) {
                if (!Double.isNaN(v)) {
                    scored++;
                }
            }
            int keep = (int) Math.ceil(ratio * scored - 1e-9);
            final double[] row = s[t];
            Integer[] order = new Integer[layers];
            for (int l = 0; l < layers; l++) {
                order[l] = l;
            }
            Arrays.sort(order, Comparator.comparingDouble((Integer l) -> Double.isNaN(row[l]) ? Double.POSITIVE_INFINITY : -row[l])
                    .thenComparingInt(l -> l));
            m[t] = new boolean[layers];
            for (int i = 0; i < layers; i++) {
                m[t][order[i]] = i < keep || Double.isNaN(row[order[i]]);
            }
        }
        return m;
    }
}
