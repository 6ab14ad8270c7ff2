package dev.amalgam.merge.lwptv;

import dev.amalgam.AmalgamException;
import dev.amalgam.io.ParameterBlocks.Granularity;
import dev.amalgam.merge.MergeMethod;
import dev.amalgam.merge.MethodParams;

import java.util.Map;
import java.util.Set;

/**
 * LwPTV settings from a recipe's {@code lwptv:} block or {@code --lwptv key=value,...}.
 *
 * <p>Amalgam's defaults (our choice; the paper's exact score and rule are not published, see
 * docs/methods/lwptv.md): score {@code topk_share} with k = 20 %, rule {@code keep_ratio} 0.75,
 * granularity {@code block}.
 */
public record LwptvOptions(String score, double k, String rule, double threshold, double keepRatio,
                           Granularity granularity) {

    public static final LwptvOptions DEFAULTS = new LwptvOptions("topk_share", 20, "keep_ratio", 0.5, 0.75, Granularity.BLOCK);
    private static final Set<String> KEYS = Set.of("score", "k", "rule", "threshold", "keep_ratio", "granularity", "enabled");

    public static LwptvOptions from(Map<String, Object> values) {
        MethodParams p = new MethodParams("lwptv", values);
        p.checkKnown(KEYS);
        String score = p.getString("score", DEFAULTS.score);
        String rule = p.getString("rule", p.has("threshold") && !p.has("keep_ratio") ? "threshold" : DEFAULTS.rule);
        String gran = p.getString("granularity", "block");
        Granularity g;
        switch (gran) {
            case "block": g = Granularity.BLOCK; break;
            case "tensor": g = Granularity.TENSOR; break;
            default: throw new AmalgamException("lwptv: granularity must be 'block' or 'tensor', got '" + gran + "'");
        }
        LwptvOptions o = new LwptvOptions(score, p.getDoubleIn("k", DEFAULTS.k, 0, 100), rule,
                p.getDouble("threshold", DEFAULTS.threshold), p.getDoubleIn("keep_ratio", DEFAULTS.keepRatio, 0, 1), g);
        o.saliency();
        o.maskRule();
        return o;
    }

    public SaliencyScore saliency() {
        switch (score) {
            case "energy": return new EnergySaliency();
            case "redundancy": return new RedundancySaliency();
            case "topk_share": return new TopKShareSaliency(k);
            default: throw new AmalgamException("lwptv: unknown score '" + score + "' (energy, redundancy, topk_share)");
        }
    }

    public MaskRule maskRule() {
        switch (rule) {
            case "threshold": return new ThresholdMaskRule(threshold);
            case "keep_ratio": return new KeepRatioMaskRule(keepRatio);
            default: throw new AmalgamException("lwptv: unknown rule '" + rule + "' (threshold, keep_ratio)");
        }
    }

    public Lwptv wrap(MergeMethod host) {
        return Lwptv.wrap(host, saliency(), maskRule());
    }

    /** Compact label for reports, e.g. "topk_share(k=20)/keep_ratio(0.75)/block". */
    public String label() {
        String s = score.equals("topk_share") ? "topk_share(k=" + fmt(k) + ")" : score;
        String r = rule.equals("threshold") ? "threshold(" + fmt(threshold) + ")" : "keep_ratio(" + fmt(keepRatio) + ")";
        return s + "/" + r + "/" + granularity.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
