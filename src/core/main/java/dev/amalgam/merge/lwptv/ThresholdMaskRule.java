package dev.amalgam.merge.lwptv;

/** Keeps layer l of task t when s[t][l] ≥ threshold (NaN scores are kept: nothing to judge). */
public final class ThresholdMaskRule implements MaskRule {
    private final double threshold;

    public ThresholdMaskRule(double threshold) {
        this.threshold = threshold;
    }

    @Override
    public String name() {
        return "threshold";
    }

    @Override
    public String describe() {
        return "threshold(s >= " + threshold + ")";
    }

    @Override
    public boolean[][] mask(double[][] s) {
        boolean[][] m = new boolean[s.length][];
        for (int t = 0; t < s.length; t++) {
            m[t] = new boolean[s[t].length];
            for (int l = 0; l < s[t].length; l++) {
                m[t][l] = Double.isNaN(s[t][l]) || s[t][l] >= threshold;
            }
        }
        return m;
    }
}
