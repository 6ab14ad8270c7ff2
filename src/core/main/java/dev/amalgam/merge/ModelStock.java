package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import dev.amalgam.AmalgamException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Model Stock (docs/methods/merge-methods.md §14), per tensor: c = average pairwise cosine between the τ_i,
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
    static final ParamDef AVERAGE = ParamDef.global("average", ParamDef.Type.TEXT, "cosine", "cosine: mean pairwise cosine; angle: mean pairwise angle");
    static final ParamDef FILTER_WISE = ParamDef.global("filter_wise", ParamDef.Type.BOOLEAN, false, "one ratio per row instead of per tensor");
    static final ParamDef IGNORE_KEYS = ParamDef.global("ignore_keys", ParamDef.Type.TEXTS, null, "regexes of tensors that keep θ_0");
    public static final java.util.List<ParamDef> PARAMS = java.util.List.of(AVERAGE, FILTER_WISE, IGNORE_KEYS);
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
        p.checkKnown(PARAMS);
        boolean angle;
        switch (p.text(AVERAGE).trim().toLowerCase(Locale.ROOT)) {
            case "cosine": case "cos": angle = false; break;
            case "angle": angle = true; break;
            default: throw new AmalgamException("model_stock: parameter 'average' must be cosine or angle, got '"
                    + p.getString("average", "") + "'");
        }
        List<Pattern> ignore = new ArrayList<>();
        List<String> keys = ParamLists.strings(p, IGNORE_KEYS.name());
        if (keys != null) {
            for (String k : keys) {
                try {
                    ignore.add(Pattern.compile(k));
                } catch (PatternSyntaxException e) {
                    throw new AmalgamException("model_stock: bad 'ignore_keys' regex '" + k + "': " + e.getDescription());
                }
            }
        }
        return new ModelStock(angle, p.bool(FILTER_WISE), ignore);
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
        NDArray stacked = step.stackedTaskVectors();
        NDArray mean = TaskArithmetic.weightedSum(step, stacked, null, name()).divi((float) n);
        for (Pattern p : ignore) {
            if (p.matcher(step.name()).find()) {
                return mean.addi(step.base());
            }
        }
        long[] shape = step.base().getShape().getShape();
        long size = step.base().getShape().size();
        long cols = filterWise && shape.length >= 2 ? shape[shape.length - 1] : size;
        long rows = cols == 0 ? 0 : size / cols;
        float[] t = interpolation(gram(stacked, n, rows, cols), n, (int) rows);
        NDArray tb = step.manager().create(t).reshape(rows, 1);
        return mean.reshape(rows, cols).muli(tb).reshape(step.base().getShape()).addi(step.base());
    }

    /** Per row r, the Gram matrix G[r, i, j] = ⟨τ_i[r], τ_j[r]⟩ of the task vectors, row-major [rows, n, n]. */
    private static float[] gram(NDArray stacked, int n, long rows, long cols) {
        if (rows == 1) {
            NDArray x = stacked.reshape(n, cols);
            return x.matMul(x.transpose()).toFloatArray();
        }
        NDArray x = stacked.reshape(n, rows, cols).transpose(1, 0, 2);
        return x.batchMatMul(x.transpose(0, 2, 1)).toFloatArray();
    }

    /**
     * t = N·c / (1 + (N − 1)·c) per row from the Gram matrices, c the average pairwise cosine (or the
     * cosine of the average angle); a zero denominator gives t = 0.
     */
    private float[] interpolation(float[] gram, int n, int rows) {
        float[] t = new float[rows];
        int pairs = n * (n - 1) / 2;
        for (int r = 0; r < rows; r++) {
            int off = r * n * n;
            float acc = 0f;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    float norms = (float) Math.sqrt(gram[off + i * n + i]) * (float) Math.sqrt(gram[off + j * n + j]);
                    float cos = Math.max(-1f, Math.min(1f, gram[off + i * n + j] / Math.max(norms, NORM_EPS)));
                    acc += angleAverage ? (float) Math.acos(cos) : cos;
                }
            }
            float c = acc / pairs;
            if (angleAverage) {
                c = (float) Math.cos(c);
            }
            float den = c * (n - 1) + 1f;
            t[r] = Math.abs(den) < 1e-8f ? 0f : c * n / den;
        }
        return t;
    }
}
