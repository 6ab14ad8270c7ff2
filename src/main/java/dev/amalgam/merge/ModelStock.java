package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.amalgam.AmalgamException;
import dev.amalgam.merge.ops.ParamLists;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Model Stock (merge-methods.md §14), per tensor: c = average pairwise cosine between the τ_i,
 * t = N·c / (1 + (N − 1)·c), θ = θ_0 + t·mean_i τ_i (= t·mean_i θ_i + (1 − t)·θ_0). Requires ≥ 2
 * fine-tuned models.
 *
 * <p>{@code average=cosine} (default, MergeKit) averages the pairwise cosines; {@code average=angle}
 * (FusionBench) averages the angles (acos of each cosine) and takes the cosine of the mean. Cosines use
 * MergeKit's guard: dot / max(‖a‖‖b‖, 1e-6), clamped to [−1, 1]. {@code filter_wise=true} (MergeKit)
 * computes c and t per row along the last dimension (tensors with ≥ 2 dimensions). A zero denominator
 * 1 + (N − 1)c gives t = 0 (θ_0). {@code ignore_keys}: regexes (find) whose tensors get the plain
 * average of the fine-tuned models; default none (FusionBench's list names CLIP text-side keys).
 */
public final class ModelStock implements MergeMethod {
    public static final Set<String> KEYS = Set.of("average", "filter_wise", "ignore_keys");
    private static final float NORM_EPS = 1e-6f;

    private final boolean angleAverage;
    private final boolean filterWise;
    private final List<Pattern> ignore;

    public ModelStock(boolean angleAverage, boolean filterWise, List<Pattern> ignore) {
        this.angleAverage = angleAverage;
        this.filterWise = filterWise;
        this.ignore = ignore;
    }

    public static ModelStock fromParams(MethodParams p) {
        p.checkKnown(KEYS);
        boolean angle;
        switch (p.getString("average", "cosine").trim().toLowerCase(Locale.ROOT)) {
            case "cosine": case "cos": angle = false; break;
            case "angle": angle = true; break;
            default: throw new AmalgamException("model_stock: parameter 'average' must be cosine or angle, got '"
                    + p.getString("average", "") + "'");
        }
        List<Pattern> ignore = new ArrayList<>();
        List<String> keys = ParamLists.strings(p, "ignore_keys");
        if (keys != null) {
            for (String k : keys) {
                try {
                    ignore.add(Pattern.compile(k));
                } catch (PatternSyntaxException e) {
                    throw new AmalgamException("model_stock: bad 'ignore_keys' regex '" + k + "': " + e.getDescription());
                }
            }
        }
        return new ModelStock(angle, p.getBool("filter_wise", false), ignore);
    }

    @Override
    public String name() {
        return "model_stock";
    }

    @Override
    public String describe() {
        return "model_stock(average=" + (angleAverage ? "angle" : "cosine") + ", filter_wise=" + filterWise
                + ", ignore_keys=" + ignore + ")";
    }

    @Override
    public NDArray merge(TensorStep step) {
        int n = step.taskCount();
        if (n < 2) {
            throw new AmalgamException("model_stock: needs at least 2 fine-tuned models, got " + n + " (tensor " + step.name() + ")");
        }
        NDArray mean = TaskArithmetic.weightedSum(step, step.taskVectors(), null, name()).div((float) n);
        for (Pattern p : ignore) {
            if (p.matcher(step.name()).find()) {
                return step.base().add(mean);
            }
        }
        long[] shape = step.base().getShape().getShape();
        long size = step.base().getShape().size();
        long cols = filterWise && shape.length >= 2 ? shape[shape.length - 1] : size;
        long rows = cols == 0 ? 0 : size / cols;
        List<NDArray> xs = new ArrayList<>(n);
        List<NDArray> norms = new ArrayList<>(n);
        for (NDArray tv : step.taskVectors()) {
            NDArray x = tv.reshape(rows, cols);
            xs.add(x);
            norms.add(x.norm(new int[]{1}));
        }
        NDArray acc = null;
        int pairs = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                NDArray cos = xs.get(i).mul(xs.get(j)).sum(new int[]{1})
                        .div(norms.get(i).mul(norms.get(j)).maximum(NORM_EPS)).clip(-1f, 1f);
                NDArray term = angleAverage ? cos.acos() : cos;
                acc = acc == null ? term : acc.add(term);
                pairs++;
            }
        }
        NDArray c = acc.div((float) pairs);
        if (angleAverage) {
            c = c.cos();
        }
        NDArray den = c.mul((float) (n - 1)).add(1f);
        NDArray zero = den.abs().lt(1e-8f).toType(DataType.FLOAT32, false);
        NDArray t = c.mul((float) n).div(den.add(zero)).mul(zero.neg().add(1f));
        NDArray tb = t.reshape(rows, 1);
        return step.base().add(mean.reshape(rows, cols).mul(tb).reshape(step.base().getShape()));
    }
}
