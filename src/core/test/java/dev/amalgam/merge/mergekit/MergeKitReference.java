package dev.amalgam.merge.mergekit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Independent, plain-Java reference for the tensor math of MergeKit's merge methods, used by tests as the
 * oracle that Amalgam's implementation is compared against.
 *
 * <p>Transcribed by hand (no code copied) from MergeKit at commit {@code a6e4028}
 * ({@code a6e402884ba9bc30da7f23e8304a35f19485de95}), files {@code mergekit/config.py},
 * {@code mergekit/sparsify.py} and {@code mergekit/merge_methods/*.py}. Each method names the file it
 * transcribes.
 *
 * <p>Conventions: a tensor is a {@code double[]} in row-major (C) order plus, where the math depends on it,
 * an {@code int[] shape}. A {@code null} shape means a 1-D tensor of {@code x.length} elements. Everything
 * is computed in double precision with {@code java.lang.Math}; MergeKit works in the tensor's dtype
 * (usually bf16/fp16 on GPU, float32 on CPU), so comparisons need a tolerance. Inputs are never modified;
 * every method returns a fresh array.
 *
 * <p>Where torch leaves an order unspecified (ties in {@code argsort}/{@code sort}/{@code topk}), this
 * reference resolves ties deterministically by the LOWEST flat index (see the individual methods). Where
 * MergeKit draws random numbers ({@code torch.bernoulli}), this reference draws {@code rng.nextDouble() < p}
 * in flat row-major element order, which of course is not torch's random stream.
 */
public final class MergeKitReference {
    private MergeKitReference() {
    }

    // ------------------------------------------------------------------------------------------------
    // config.py
    // ------------------------------------------------------------------------------------------------

    /**
     * {@code evaluate_setting} from {@code mergekit/config.py} @ a6e4028.
     *
     * <ul>
     * <li>{@link Number}, {@link Boolean}, {@link String}: returned as is.</li>
     * <li>{@link List} whose elements are all {@link Number} or {@link Boolean} (Python's {@code bool} is an
     * {@code int}, so a list of booleans is a gradient too): piecewise-linear gradient, returned as a
     * {@link Double} even for integer inputs (Python returns a float).</li>
     * <li>{@link List} of scalars that is not all-numeric: element {@code (int)(t*(len-1))}.</li>
     * <li>{@link List} of {@link Map} conditionals ({@code "filter"}, {@code "value"}): the first entry whose
     * filter is {@code null}, {@code "*"}, or a substring of a non-empty {@code tensorName} wins and its value
     * is evaluated recursively; {@code null} when none matches.</li>
     * </ul>
     * An empty list raises (Python takes the gradient branch and indexes out of range); a bare Map (single
     * ConditionalParameter not in a list) or {@code null} raises like MergeKit's {@code RuntimeError}.
     */
    public static Object evaluateSetting(String tensorName, Object setting, double t) {
        if (setting instanceof Number || setting instanceof Boolean || setting instanceof String) {
            return setting;
        }
        if (!(setting instanceof List<?> list)) {
            throw new IllegalArgumentException("Unexpected setting value: " + setting);
        }
        if (list.isEmpty()) {
            throw new IndexOutOfBoundsException("empty gradient list (MergeKit raises IndexError)");
        }
        boolean allNumeric = true;
        boolean allScalar = true;
        for (Object e : list) {
            boolean numeric = e instanceof Number || e instanceof Boolean;
            allNumeric &= numeric;
            allScalar &= numeric || e instanceof String;
        }
        int len = list.size();
        if (allNumeric) {
            double scaled = t * (len - 1);
            int i0 = (int) scaled; // Python int() truncates toward zero, as does the Java cast
            int i1 = Math.min(len - 1, i0 + 1);
            double frac = scaled - i0;
            return (1 - frac) * numeric(list.get(i0)) + frac * numeric(list.get(i1));
        }
        if (allScalar) {
            return list.get((int) (t * (len - 1)));
        }
        for (Object c : list) {
            if (!(c instanceof Map<?, ?> cond)) {
                throw new IllegalArgumentException("conditional parameter list contains a non-map: " + c);
            }
            Object filter = cond.get("filter");
            boolean matches = filter == null
                    || "*".equals(filter)
                    || (tensorName != null && !tensorName.isEmpty() && tensorName.contains((String) filter));
            if (matches) {
                return evaluateSetting(tensorName, cond.get("value"), t);
            }
        }
        return null;
    }

    private static double numeric(Object o) {
        if (o instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        return ((Number) o).doubleValue();
    }

    // ------------------------------------------------------------------------------------------------
    // generalized_task_arithmetic.py + sparsify.py
    // ------------------------------------------------------------------------------------------------

    /**
     * {@code GTATask.execute} + {@code get_mask} from {@code mergekit/merge_methods/generalized_task_arithmetic.py}
     * with sparsification from {@code mergekit/sparsify.py} @ a6e4028.
     *
     * <p>Covers task_arithmetic, ties, dare_ties, dare_linear, breadcrumbs, breadcrumbs_ties, della,
     * della_linear (the registry in {@code merge_methods/registry.py} only picks consensus / sparsification /
     * default normalize / default rescale).
     *
     * @param densities per-model density; {@code null} means MergeKit's default 1.0 for every model
     * @param sparsification {@code null}, "magnitude", "magnitude_outliers", "della_magprune" or "random"
     * @param gammas per-model gamma for magnitude_outliers; {@code null} means the GTA default 0.01
     * @param epsilons per-model epsilon for della_magprune; {@code null} means the GTA default 0.15
     * @param consensus {@code null}, "sum" or "count"
     * @param rescaleL1 {@code rescale}: RescaleNorm.l1 when true, no rescaling when false
     * @param shape only needed by della_magprune (1-D or 2-D); {@code null} = 1-D
     * @param rng only needed by "random" and "della_magprune"; drawn model by model, element by element
     */
    public static double[] gta(double[] base, double[][] models, double[] weights, double[] densities,
                               String sparsification, double[] gammas, double[] epsilons, String consensus,
                               boolean normalize, boolean rescaleL1, double lambda, int[] shape, Random rng) {
        int n = base.length;
        int tc = models.length;
        if (tc == 0) {
            return base.clone(); // "if not tvs: return base"
        }
        double[][] weighted = new double[tc][];
        for (int t = 0; t < tc; t++) {
            if (models[t].length != n) {
                throw new IllegalArgumentException("model " + t + " size mismatch");
            }
            double[] delta = new double[n];
            for (int i = 0; i < n; i++) {
                delta[i] = models[t][i] - base[i];
            }
            if (sparsification != null) {
                double density = densities == null ? 1.0 : densities[t];
                double gamma = gammas == null ? 0.01 : gammas[t];
                double eps = epsilons == null ? 0.15 : epsilons[t];
                delta = sparsify(delta, density, sparsification, gamma, eps, rescaleL1, shape, rng);
            }
            for (int i = 0; i < n; i++) {
                delta[i] *= weights[t];
            }
            weighted[t] = delta;
        }

        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double mixed = 0;
            double divisor = 0;
            if (consensus != null) {
                double majority = majoritySign(weighted, i, consensus);
                for (int t = 0; t < tc; t++) {
                    // get_mask: sign(delta) == majority_sign; torch.sign(0) == 0 never matches +-1
                    if (Math.signum(weighted[t][i]) == majority) {
                        mixed += weighted[t][i];
                        divisor += weights[t];
                    }
                }
                if (divisor == 0) {
                    divisor = 1;
                }
            } else {
                for (int t = 0; t < tc; t++) {
                    mixed += weighted[t][i];
                    divisor += weights[t];
                }
                if (Math.abs(divisor) < 1e-8) {
                    divisor = 1;
                }
            }
            if (normalize) {
                mixed /= divisor;
            }
            if (lambda != 1) {
                mixed *= lambda;
            }
            out[i] = base[i] + mixed;
        }
        return out;
    }

    /** {@code get_mask}'s majority sign for element i (generalized_task_arithmetic.py @ a6e4028). */
    private static double majoritySign(double[][] weighted, int i, String method) {
        double s = 0;
        if ("sum".equals(method)) {
            for (double[] w : weighted) {
                s += w[i];
            }
        } else if ("count".equals(method)) {
            for (double[] w : weighted) {
                s += Math.signum(w[i]);
            }
        } else {
            throw new IllegalArgumentException("Unimplemented mask method \"" + method + "\"");
        }
        return s >= 0 ? 1.0 : -1.0;
    }

    /** {@code sparsify} dispatch from {@code mergekit/sparsify.py} @ a6e4028. */
    private static double[] sparsify(double[] x, double density, String method, double gamma, double epsilon,
                                     boolean rescaleL1, int[] shape, Random rng) {
        return switch (method) {
            case "magnitude" -> magnitude(x, density, rescaleL1);
            case "random" -> bernoulli(x, density, rescaleL1, rng);
            case "magnitude_outliers" -> magnitudeOutliers(x, density, rescaleL1, gamma);
            case "della_magprune" -> dellaMagprune(x, density, epsilon, rescaleL1, shape, rng);
            default -> throw new UnsupportedOperationException(method);
        };
    }

    /**
     * {@code magnitude} from {@code mergekit/sparsify.py} @ a6e4028: keep the {@code k = int(density*n)}
     * largest |x|. MergeKit uses {@code torch.argsort(descending=True)} whose order among equal magnitudes is
     * unspecified (and on CPU it sorts float32 magnitudes, which can create ties that are not ties in double);
     * here ties are kept lowest-index first.
     */
    private static double[] magnitude(double[] x, double density, boolean rescaleL1) {
        if (density >= 1) {
            return x;
        }
        int n = x.length;
        int k = (int) (density * n);
        if (k <= 0) {
            throw new IllegalArgumentException("not gonna zero out the whole tensor buddy (k=" + k + ")");
        }
        Integer[] order = sortedByAbs(x, true);
        double[] mask = new double[n];
        for (int j = 0; j < k && j < n; j++) {
            mask[order[j]] = 1;
        }
        return rescaledMasked(x, mask, rescaleL1);
    }

    /**
     * {@code magnitude_outliers} (Model Breadcrumbs) from {@code mergekit/sparsify.py} @ a6e4028.
     * Ascending sort by |x| (ties by index here; torch.sort is not stable), then keep
     * {@code indices[n_bot:-n_top]} with Python slice semantics: when {@code n_top == 0} the stop index is
     * {@code -0 == 0} and the slice is EMPTY, so nothing is kept (this happens whenever
     * {@code int(gamma*n) == 0}, e.g. the default gamma 0.01 with fewer than 100 elements).
     */
    private static double[] magnitudeOutliers(double[] x, double density, boolean rescaleL1, double gamma) {
        if (density >= 1) {
            return x;
        }
        int n = x.length;
        int targetN = (int) (density * n);
        int nTop = (int) (gamma * n);
        int nBot = n - targetN - nTop;
        if (nBot < 0) {
            nTop += nBot;
            nBot = 0;
        }
        Integer[] order = sortedByAbs(x, false);
        double[] mask = new double[n];
        int[] range = pySlice(n, nBot, -nTop);
        for (int j = range[0]; j < range[1]; j++) {
            mask[order[j]] = 1;
        }
        return rescaledMasked(x, mask, rescaleL1);
    }

    /** Python {@code seq[start:stop]} bounds (step 1) for a sequence of length n: returns [from, to). */
    private static int[] pySlice(int n, int start, int stop) {
        int s = start < 0 ? Math.max(0, start + n) : Math.min(start, n);
        int e = stop < 0 ? Math.max(0, stop + n) : Math.min(stop, n);
        return new int[] {s, Math.max(s, e)};
    }

    /**
     * {@code bernoulli} (DARE) from {@code mergekit/sparsify.py} @ a6e4028: mask = Bernoulli(density), drawn
     * here as {@code rng.nextDouble() < density} in element order.
     */
    private static double[] bernoulli(double[] x, double density, boolean rescaleL1, Random rng) {
        if (density >= 1) {
            return x;
        }
        double[] mask = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            mask[i] = rng.nextDouble() < density ? 1 : 0;
        }
        return rescaledMasked(x, mask, rescaleL1);
    }

    /**
     * {@code della_magprune} from {@code mergekit/sparsify.py} @ a6e4028.
     *
     * <p>1-D tensors are unsqueezed to one row; ranks are taken along {@code dim=1}, which for a 2-D tensor
     * is each row (last dim). For tensors of rank &gt; 2 MergeKit still ranks along dim 1 (not the last dim);
     * that case is not transcribed and throws. Rank = 1 + ascending position of |x| in its row (argsort of
     * argsort; ties by index here, torch's order is unspecified). min rank is always 1 and max rank the row
     * length, so a row of length 1 gives 0/0 = NaN probabilities, which torch.bernoulli rejects: thrown here.
     * The L1 rescale (if enabled) is over the whole tensor, not per row.
     */
    private static double[] dellaMagprune(double[] x, double density, double epsilon, boolean rescaleL1,
                                          int[] shape, Random rng) {
        if (density >= 1) {
            return x;
        }
        int n = x.length;
        if (density <= 0) {
            return new double[n];
        }
        if (density + epsilon >= 1 || density - epsilon <= 0) {
            throw new IllegalArgumentException(
                    "Epsilon must be chosen such that density +/- epsilon is in (0, 1)");
        }
        int rows;
        int cols;
        if (shape == null || shape.length <= 1) {
            rows = 1;
            cols = n;
        } else if (shape.length == 2) {
            rows = shape[0];
            cols = shape[1];
        } else {
            throw new UnsupportedOperationException(
                    "della_magprune on a rank-" + shape.length + " tensor ranks along dim 1 in MergeKit; "
                            + "not transcribed");
        }
        if ((long) rows * cols != n) {
            throw new IllegalArgumentException("shape does not match data length");
        }
        if (cols == 1 && rows > 0) {
            throw new IllegalArgumentException(
                    "rows of length 1 give NaN probabilities (0/0 rank normalisation) in MergeKit");
        }
        double[] probs = new double[n];
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            double[] row = Arrays.copyOfRange(x, off, off + cols);
            Integer[] order = sortedByAbs(row, false);
            double[] ranks = new double[cols];
            for (int j = 0; j < cols; j++) {
                ranks[order[j]] = j + 1;
            }
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double v : ranks) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            for (int j = 0; j < cols; j++) {
                double rankNorm = Math.min(1.0, Math.max(0.0, (ranks[j] - min) / (max - min)));
                probs[off + j] = (density - epsilon) + rankNorm * 2 * epsilon;
            }
        }
        double[] mask = new double[n];
        for (int i = 0; i < n; i++) {
            mask[i] = rng.nextDouble() < probs[i] ? 1 : 0;
        }
        return rescaledMasked(x, mask, rescaleL1);
    }

    /**
     * {@code rescaled_masked_tensor} from {@code mergekit/sparsify.py} @ a6e4028, L1 norm only, eps 1e-7:
     * {@code masked * (sum|x| / sum|masked|)} unless either sum is below eps.
     */
    private static double[] rescaledMasked(double[] x, double[] mask, boolean rescaleL1) {
        int n = x.length;
        double[] masked = new double[n];
        for (int i = 0; i < n; i++) {
            masked[i] = x[i] * mask[i];
        }
        if (!rescaleL1) {
            return masked;
        }
        double before = 0;
        double after = 0;
        for (int i = 0; i < n; i++) {
            before += Math.abs(x[i]);
            after += Math.abs(masked[i]);
        }
        double eps = 1e-7;
        if (before < eps || after < eps) {
            return masked;
        }
        double scale = before / after;
        for (int i = 0; i < n; i++) {
            masked[i] *= scale;
        }
        return masked;
    }

    /** Indices sorted by |x| (descending or ascending), ties broken by ascending index (stable). */
    private static Integer[] sortedByAbs(double[] x, boolean descending) {
        Integer[] idx = new Integer[x.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> {
            int c = Double.compare(Math.abs(x[a]), Math.abs(x[b]));
            if (descending) {
                c = -c;
            }
            return c != 0 ? c : Integer.compare(a, b);
        });
        return idx;
    }

    // ------------------------------------------------------------------------------------------------
    // linear.py
    // ------------------------------------------------------------------------------------------------

    /**
     * {@code LinearMergeTask.execute} from {@code mergekit/merge_methods/linear.py} @ a6e4028:
     * {@code sum(w*x)}, divided by {@code sum(w)} when normalize (no zero guard: a zero weight sum gives
     * inf/NaN exactly as in MergeKit).
     */
    public static double[] linear(double[][] models, double[] weights, boolean normalize) {
        int n = models[0].length;
        double wsum = 0;
        for (double w : weights) {
            wsum += w;
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int t = 0; t < models.length; t++) {
                s += weights[t] * models[t][i];
            }
            out[i] = normalize ? s / wsum : s;
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------
    // slerp.py
    // ------------------------------------------------------------------------------------------------

    /**
     * {@code slerp} from {@code mergekit/merge_methods/slerp.py} @ a6e4028 (v0 is the base model's tensor).
     * Directions are normalised only when the norm exceeds 1e-8; if |dot| &gt; 0.9995 the ORIGINAL
     * (unnormalised) vectors are lerped, otherwise {@code s0*v0 + s1*v1} on the original vectors. MergeKit
     * does this in float32 numpy.
     */
    public static double[] slerp(double t, double[] v0, double[] v1) {
        int n = v0.length;
        double eps = 1e-8;
        double n0 = norm(v0);
        double n1 = norm(v1);
        double d0 = n0 > eps ? n0 : 1.0;
        double d1 = n1 > eps ? n1 : 1.0;
        double dot = 0;
        for (int i = 0; i < n; i++) {
            dot += (v0[i] / d0) * (v1[i] / d1);
        }
        double[] out = new double[n];
        if (Math.abs(dot) > 0.9995) {
            for (int i = 0; i < n; i++) {
                out[i] = (1 - t) * v0[i] + t * v1[i];
            }
            return out;
        }
        double theta0 = Math.acos(dot);
        double sinTheta0 = Math.sin(theta0);
        double thetaT = theta0 * t;
        double sinThetaT = Math.sin(thetaT);
        double s0 = Math.sin(theta0 - thetaT) / sinTheta0;
        double s1 = sinThetaT / sinTheta0;
        for (int i = 0; i < n; i++) {
            out[i] = s0 * v0[i] + s1 * v1[i];
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------
    // nuslerp.py
    // ------------------------------------------------------------------------------------------------

    /**
     * {@code nuslerp} from {@code mergekit/merge_methods/nuslerp.py} @ a6e4028, with
     * {@code dim = 0 if rowWise else -1} as {@code NuSlerpTask} passes it and eps 1e-8.
     *
     * <p>flatten: the whole tensor is one vector. Otherwise vectors run along the last axis (rowWise=false,
     * i.e. each row of a 2-D [rows, cols] tensor) or along axis 0 (rowWise=true: MergeKit transposes dim 0
     * with -1, i.e. each column of a 2-D tensor). A 1-D tensor is one vector either way. Each vector:
     * {@code _normalize} divides by the norm clamped at 1e-7; {@code theta = acos(clamp(cos,-1,1))};
     * if {@code |sin theta| < 1e-8} lerp, else {@code (sin((1-t)theta) v0 + sin(t theta) v1)/sin theta}
     * on the unnormalised vectors.
     */
    public static double[] nuslerp(double t, double[] v0, double[] v1, int[] shape, boolean rowWise,
                                   boolean flatten) {
        int n = v0.length;
        int[] s = (shape == null || shape.length == 0) ? new int[] {n} : shape;
        int axis;
        if (flatten) {
            s = new int[] {n};
            axis = 0;
        } else {
            axis = rowWise ? 0 : s.length - 1;
        }
        int len = s[axis];
        int stride = 1;
        for (int a = axis + 1; a < s.length; a++) {
            stride *= s[a];
        }
        int outer = 1;
        for (int a = 0; a < axis; a++) {
            outer *= s[a];
        }
        if ((long) outer * len * stride != n) {
            throw new IllegalArgumentException("shape does not match data length");
        }
        double[] out = new double[n];
        double[] a0 = new double[len];
        double[] a1 = new double[len];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < stride; in++) {
                int start = o * len * stride + in;
                for (int j = 0; j < len; j++) {
                    a0[j] = v0[start + j * stride];
                    a1[j] = v1[start + j * stride];
                }
                double[] r = nuslerpVector(t, a0, a1);
                for (int j = 0; j < len; j++) {
                    out[start + j * stride] = r[j];
                }
            }
        }
        return out;
    }

    private static double[] nuslerpVector(double t, double[] v0, double[] v1) {
        int len = v0.length;
        double n0 = Math.max(norm(v0), 1e-7);
        double n1 = Math.max(norm(v1), 1e-7);
        double cos = 0;
        for (int j = 0; j < len; j++) {
            cos += (v0[j] / n0) * (v1[j] / n1);
        }
        double theta = Math.acos(Math.min(1.0, Math.max(-1.0, cos)));
        double sinTheta = Math.sin(theta);
        double[] r = new double[len];
        if (Math.abs(sinTheta) < 1e-8) {
            for (int j = 0; j < len; j++) {
                r[j] = (1 - t) * v0[j] + t * v1[j];
            }
        } else {
            double a = Math.sin((1 - t) * theta);
            double b = Math.sin(t * theta);
            for (int j = 0; j < len; j++) {
                r[j] = (a * v0[j] + b * v1[j]) / sinTheta;
            }
        }
        return r;
    }

    /**
     * {@code NuSlerpTask.execute} from {@code mergekit/merge_methods/nuslerp.py} @ a6e4028:
     * {@code t = w1/(w0+w1)} ({@code 0.5} if {@code |w0+w1| < 1e-6}); with a base,
     * {@code base + nuslerp(t, m0-base, m1-base)}. MergeKit's own defaults are rowWise=false, flatten=true.
     */
    public static double[] nuslerpMerge(double[] base, double[][] models, double[] weights, int[] shape,
                                        boolean rowWise, boolean flatten) {
        if (models.length != 2) {
            throw new IllegalArgumentException(
                    "NuSlerp merge expects exactly two models (plus optional base model)");
        }
        double sum = weights[0] + weights[1];
        double t = Math.abs(sum) < 1e-6 ? 0.5 : weights[1] / sum;
        if (base == null) {
            return nuslerp(t, models[0], models[1], shape, rowWise, flatten);
        }
        int n = base.length;
        double[] d0 = new double[n];
        double[] d1 = new double[n];
        for (int i = 0; i < n; i++) {
            d0[i] = models[0][i] - base[i];
            d1[i] = models[1][i] - base[i];
        }
        double[] r = nuslerp(t, d0, d1, shape, rowWise, flatten);
        for (int i = 0; i < n; i++) {
            r[i] = base[i] + r[i];
        }
        return r;
    }

    // ------------------------------------------------------------------------------------------------
    // multislerp.py
    // ------------------------------------------------------------------------------------------------

    /**
     * {@code multislerp} from {@code mergekit/merge_methods/multislerp.py} @ a6e4028 (MergeKit defaults:
     * normalizeWeights=true, eps=1e-8). Whole tensors are flattened. Unit vectors are {@code x/(|x|+eps)};
     * if the weighted mean of the unit vectors has norm &lt; eps, two models fall back to
     * {@code w0*x0 + w1*x1 (+ base)} and more models throw. Exponential map with
     * {@code |tangent| + eps}, rescaled by the weighted mean of the norms. A single model is returned as is
     * (its base is ignored, as in MergeKit).
     */
    public static double[] multislerp(double[][] models, double[] weights, double[] base,
                                      boolean normalizeWeights, double eps) {
        int tc = models.length;
        if (tc == 1) {
            return models[0].clone();
        }
        int n = models[0].length;
        double[][] x = new double[tc][n];
        for (int t = 0; t < tc; t++) {
            for (int i = 0; i < n; i++) {
                x[t][i] = base == null ? models[t][i] : models[t][i] - base[i];
            }
        }
        double[] w = weights.clone();
        if (normalizeWeights) {
            double ws = 0;
            for (double v : weights) {
                ws += v;
            }
            for (int t = 0; t < tc; t++) {
                w[t] = weights[t] / ws;
            }
        }
        double[] norms = new double[tc];
        double[][] unit = new double[tc][n];
        for (int t = 0; t < tc; t++) {
            norms[t] = norm(x[t]);
            for (int i = 0; i < n; i++) {
                unit[t][i] = x[t][i] / (norms[t] + eps);
            }
        }
        double[] mean = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int t = 0; t < tc; t++) {
                s += unit[t][i] * w[t];
            }
            mean[i] = s;
        }
        double meanNorm = norm(mean);
        if (meanNorm < eps) {
            if (tc == 2) {
                double[] r = new double[n];
                for (int i = 0; i < n; i++) {
                    r[i] = x[0][i] * w[0] + x[1][i] * w[1];
                    if (base != null) {
                        r[i] += base[i];
                    }
                }
                return r;
            }
            throw new IllegalArgumentException("The weighted sum of the input tensors is zero.");
        }
        for (int i = 0; i < n; i++) {
            mean[i] /= meanNorm;
        }
        double[] tangent = new double[n];
        for (int t = 0; t < tc; t++) {
            double dot = 0;
            for (int i = 0; i < n; i++) {
                dot += unit[t][i] * mean[i];
            }
            for (int i = 0; i < n; i++) {
                tangent[i] += (unit[t][i] - dot * mean[i]) * w[t];
            }
        }
        double tangentNorm = norm(tangent) + eps;
        double c = Math.cos(tangentNorm);
        double sc = Math.sin(tangentNorm) / tangentNorm;
        double avgNorm = 0;
        for (int t = 0; t < tc; t++) {
            avgNorm += norms[t] * w[t];
        }
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = (mean[i] * c + tangent[i] * sc) * avgNorm;
            if (base != null) {
                r[i] += base[i];
            }
        }
        return r;
    }

    // ------------------------------------------------------------------------------------------------
    // karcher.py
    // ------------------------------------------------------------------------------------------------

    /**
     * {@code karcher_merge_tensors} from {@code mergekit/merge_methods/karcher.py} @ a6e4028 with the alphas
     * {@code KarcherTask} uses (all 1/N; MergeKit defaults maxIter=10, tol=1e-5). Whole tensors are flattened.
     * Models with norm &lt;= tol are left out of the iteration but still count (with norm 0 or their small
     * norm) in the final scale {@code sum(alpha_i * |x_i|)}.
     */
    public static double[] karcher(double[][] models, int maxIter, double tol) {
        int tc = models.length;
        if (tc == 1) {
            return models[0].clone();
        }
        int n = models[0].length;
        double[] alphas = new double[tc];
        Arrays.fill(alphas, 1.0 / tc);
        double[] norms = new double[tc];
        double[][] units = new double[tc][n];
        for (int t = 0; t < tc; t++) {
            double nv = norm(models[t]);
            if (nv == 0.0) {
                norms[t] = 0.0;
            } else {
                norms[t] = nv;
                for (int i = 0; i < n; i++) {
                    units[t][i] = models[t][i] / nv;
                }
            }
        }
        List<Integer> valid = new ArrayList<>();
        for (int t = 0; t < tc; t++) {
            if (norms[t] > tol) {
                valid.add(t);
            }
        }
        if (valid.isEmpty()) {
            return new double[n];
        }
        double alphaSum = 0;
        for (int t : valid) {
            alphaSum += alphas[t];
        }
        int vc = valid.size();
        double[] na = new double[vc];
        double[][] vu = new double[vc][];
        for (int j = 0; j < vc; j++) {
            na[j] = alphas[valid.get(j)] / alphaSum;
            vu[j] = units[valid.get(j)];
        }
        double[] u = new double[n];
        for (int j = 0; j < vc; j++) {
            for (int i = 0; i < n; i++) {
                u[i] += na[j] * vu[j][i];
            }
        }
        double normU = norm(u);
        if (normU < tol) {
            u = vu[0].clone();
        } else {
            for (int i = 0; i < n; i++) {
                u[i] /= normU;
            }
        }
        for (int it = 0; it < maxIter; it++) {
            double[] tv = new double[n];
            for (int j = 0; j < vc; j++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += u[i] * vu[j][i];
                }
                dot = Math.min(1.0, Math.max(-1.0, dot));
                double theta = Math.acos(dot);
                if (theta < tol) {
                    continue;
                }
                double f = na[j] * (theta / Math.sin(theta));
                for (int i = 0; i < n; i++) {
                    tv[i] += f * (vu[j][i] - dot * u[i]);
                }
            }
            double normT = norm(tv);
            if (normT < tol) {
                break;
            }
            double c = Math.cos(normT);
            double s = Math.sin(normT);
            for (int i = 0; i < n; i++) {
                u[i] = c * u[i] + s * (tv[i] / normT);
            }
            double un = norm(u);
            if (un > tol) {
                for (int i = 0; i < n; i++) {
                    u[i] /= un;
                }
            }
        }
        double scale = 0;
        for (int t = 0; t < tc; t++) {
            scale += alphas[t] * norms[t];
        }
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = scale * u[i];
        }
        return r;
    }

    // ------------------------------------------------------------------------------------------------
    // model_stock.py
    // ------------------------------------------------------------------------------------------------

    /**
     * {@code ModelStockMergeTask.execute} from {@code mergekit/merge_methods/model_stock.py} @ a6e4028.
     *
     * <p>Not filter-wise: everything is one flattened vector. Filter-wise: norms/dots along the last dim
     * ({@code dim=-1}), i.e. per row of a 2-D tensor (per last-axis vector for rank &gt; 2); a 1-D tensor is
     * one row. Per pair of offsets {@code cos = clamp(dot / max(|a||b|, 1e-6), -1, 1)}, averaged over all
     * pairs; {@code t = N cos / (1 + (N-1) cos)}; result {@code t*mean(ws) + (1-t)*base}. MergeKit requires
     * at least two non-base models (a single one raises).
     */
    public static double[] modelStock(double[] base, double[][] models, int[] shape, boolean filterWise) {
        int n = base.length;
        int nm = models.length;
        if (nm == 0) {
            return base.clone();
        }
        if (nm < 2) {
            throw new IllegalArgumentException(
                    "ModelStockMerge requires at least 3 models (base plus two+ others)");
        }
        int cols = (filterWise && shape != null && shape.length >= 2) ? shape[shape.length - 1] : n;
        int rows = cols == 0 ? 0 : n / cols;
        double[] out = new double[n];
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            double[][] offs = new double[nm][cols];
            for (int m = 0; m < nm; m++) {
                for (int j = 0; j < cols; j++) {
                    offs[m][j] = models[m][off + j] - base[off + j];
                }
            }
            double cosSum = 0;
            int pairs = 0;
            for (int i = 0; i < nm; i++) {
                for (int j = i + 1; j < nm; j++) {
                    double prod = Math.max(norm(offs[i]) * norm(offs[j]), 1e-6);
                    double dot = 0;
                    for (int c = 0; c < cols; c++) {
                        dot += offs[i][c] * offs[j][c];
                    }
                    cosSum += Math.min(1.0, Math.max(-1.0, dot / prod));
                    pairs++;
                }
            }
            double cos = cosSum / pairs;
            double t = (nm * cos) / (1 + (nm - 1) * cos);
            for (int c = 0; c < cols; c++) {
                double avg = 0;
                for (int m = 0; m < nm; m++) {
                    avg += models[m][off + c];
                }
                avg /= nm;
                out[off + c] = t * avg + (1 - t) * base[off + c];
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------
    // arcee_fusion.py
    // ------------------------------------------------------------------------------------------------

    /**
     * {@code ArceeFusionMergeTask} + {@code DynamicThresholdFusion} from
     * {@code mergekit/merge_methods/arcee_fusion.py} @ a6e4028.
     *
     * <p>importance = |model-base| * KL(p||q) where p = softmax(model)+1e-8, q = softmax(base)+1e-8 along the
     * last dim (a 1-D tensor is one row), broadcast over the row. Threshold = median + 1.5*(q3-q1) with each
     * quantile read from the sorted flattened importance at index {@code long(q*(n-1))} (MergeKit computes
     * {@code q*(n-1)} in float32; exact for n &lt;= 1e6). Only the n &lt;= 1e6 branch is transcribed; larger
     * tensors are randomly subsampled in MergeKit and throw here. Result: {@code base + delta*(importance >=
     * threshold)}.
     */
    public static double[] arceeFusion(double[] base, double[] model, int[] shape) {
        int n = base.length;
        if (n > 1_000_000) {
            throw new UnsupportedOperationException("MergeKit samples 1e6 random elements above 1e6");
        }
        int cols = (shape == null || shape.length == 0) ? n : shape[shape.length - 1];
        int rows = cols == 0 ? 0 : n / cols;
        double[] importance = new double[n];
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            double[] p = softmax(model, off, cols);
            double[] q = softmax(base, off, cols);
            double kl = 0;
            for (int j = 0; j < cols; j++) {
                double pj = p[j] + 1e-8;
                double qj = q[j] + 1e-8;
                kl += pj * Math.log(pj / qj);
            }
            for (int j = 0; j < cols; j++) {
                importance[off + j] = Math.abs(model[off + j] - base[off + j]) * kl;
            }
        }
        double[] sorted = importance.clone();
        Arrays.sort(sorted);
        double median = sorted[quantileIndex(0.5f, n)];
        double q1 = sorted[quantileIndex(0.25f, n)];
        double q3 = sorted[quantileIndex(0.75f, n)];
        double threshold = median + 1.5 * (q3 - q1);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double delta = model[i] - base[i];
            out[i] = base[i] + delta * (importance[i] >= threshold ? 1.0 : 0.0);
        }
        return out;
    }

    /** {@code (q * (numel - 1)).long()} with q a float32 tensor, as in approximate_quantiles. */
    private static int quantileIndex(float q, int n) {
        return (int) (long) (q * (float) (n - 1));
    }

    private static double[] softmax(double[] x, int off, int len) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < len; j++) {
            max = Math.max(max, x[off + j]);
        }
        double[] e = new double[len];
        double sum = 0;
        for (int j = 0; j < len; j++) {
            e[j] = Math.exp(x[off + j] - max);
            sum += e[j];
        }
        for (int j = 0; j < len; j++) {
            e[j] /= sum;
        }
        return e;
    }

    // ------------------------------------------------------------------------------------------------
    // sce.py
    // ------------------------------------------------------------------------------------------------

    /**
     * {@code sce_merge} / {@code sce_mask} / {@code sce_weight} from
     * {@code mergekit/merge_methods/sce.py} @ a6e4028 (MergeKit default selectTopk = 1.0, i.e. no variance mask).
     *
     * <p>When {@code selectTopk < 1}: population variance across models per element;
     * {@code k = int(count_nonzero(var) * density)} where MergeKit multiplies a 0-d int64 tensor by a Python
     * float, i.e. in float32 — reproduced here with a float multiply (e.g. 100 * 0.29 gives k=29 in float32
     * but 28 in double); keep the top-k |var| (ties lowest index first; torch.topk's tie order is
     * unspecified); k == 0 masks everything. {@code selectTopk <= 0} throws: MergeKit's zero mask there has
     * shape [T, ...], which after {@code unsqueeze(0)} broadcasts the result to the wrong shape.
     * Then the "sum" sign-consensus erase mask, per-model weights {@code mean(tv^2)} normalised by their sum
     * (uniform if |sum| &lt; 1e-6) — computed from the variance-masked task vectors — and
     * {@code base + sum(tv*w*mask) / max(sum(w*mask), 1e-6)}.
     */
    public static double[] sce(double[] base, double[][] models, double selectTopk) {
        int n = base.length;
        int tc = models.length;
        if (tc == 0) {
            return base.clone();
        }
        double[][] tv = new double[tc][n];
        for (int t = 0; t < tc; t++) {
            for (int i = 0; i < n; i++) {
                tv[t][i] = models[t][i] - base[i];
            }
        }
        if (selectTopk < 1) {
            if (selectTopk <= 0) {
                throw new IllegalArgumentException(
                        "select_topk <= 0: MergeKit's sce_mask returns a [T,...] zero mask that broadcasts "
                                + "the merged tensor to shape [T,...]");
            }
            double[] var = new double[n];
            int nonzero = 0;
            for (int i = 0; i < n; i++) {
                double mean = 0;
                for (int t = 0; t < tc; t++) {
                    mean += tv[t][i];
                }
                mean /= tc;
                double v = 0;
                for (int t = 0; t < tc; t++) {
                    double d = tv[t][i] - mean;
                    v += d * d;
                }
                var[i] = v / tc;
                if (var[i] != 0) {
                    nonzero++;
                }
            }
            int k = (int) ((float) nonzero * (float) selectTopk);
            double[] mask = new double[n];
            if (k > 0) {
                Integer[] order = sortedByAbs(var, true);
                for (int j = 0; j < k; j++) {
                    mask[order[j]] = 1;
                }
            }
            for (int t = 0; t < tc; t++) {
                for (int i = 0; i < n; i++) {
                    tv[t][i] *= mask[i];
                }
            }
        }
        double[] w = new double[tc];
        double wsum = 0;
        for (int t = 0; t < tc; t++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += tv[t][i] * tv[t][i];
            }
            w[t] = s / n;
            wsum += w[t];
        }
        for (int t = 0; t < tc; t++) {
            w[t] = Math.abs(wsum) < 1e-6 ? 1.0 / tc : w[t] / wsum;
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double majority = majoritySign(tv, i, "sum");
            double merged = 0;
            double denom = 0;
            for (int t = 0; t < tc; t++) {
                if (Math.signum(tv[t][i]) == majority) {
                    merged += tv[t][i] * w[t];
                    denom += w[t];
                }
            }
            out[i] = base[i] + merged / Math.max(denom, 1e-6);
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------
    // passthrough.py
    // ------------------------------------------------------------------------------------------------

    /**
     * {@code PassthroughMergeTask.execute} from {@code mergekit/merge_methods/passthrough.py} @ a6e4028:
     * the single input, multiplied by {@code scale} when one is set.
     */
    public static double[] passthrough(double[] x, Double scale) {
        double[] out = x.clone();
        if (scale != null) {
            for (int i = 0; i < out.length; i++) {
                out[i] *= scale;
            }
        }
        return out;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
