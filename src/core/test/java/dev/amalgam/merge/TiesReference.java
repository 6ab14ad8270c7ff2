package dev.amalgam.merge;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Straightforward double-precision TIES written from docs/methods/merge-methods.md §3 (independent of the DJL code):
 * global scope flattens the sorted keys into one vector per task and sorts it.
 */
final class TiesReference {
    private TiesReference() {
    }

    /** The (d − kKeep)-th smallest |v| (1-based), or −1 when kKeep ≥ d (keep all). */
    static double globalThreshold(double[] v, double kPercent) {
        int d = v.length;
        long kKeep = (long) (d * (kPercent / 100.0));
        if (kKeep >= d) {
            return -1;
        }
        double[] a = new double[d];
        for (int i = 0; i < d; i++) {
            a[i] = Math.abs(v[i]);
        }
        Arrays.sort(a);
        return a[(int) (d - kKeep) - 1];
    }

    static double[] flatTask(List<InMemoryMergeDriver.Tensor> sorted, int t) {
        int d = 0;
        for (InMemoryMergeDriver.Tensor x : sorted) {
            d += x.size();
        }
        double[] v = new double[d];
        int o = 0;
        for (InMemoryMergeDriver.Tensor x : sorted) {
            for (float f : x.tasks().get(t)) {
                v[o++] = f;
            }
        }
        return v;
    }

    /** Disjoint merge of trimmed (weighted) rows vhat[t][i]; zeroSign = NaN means "global majority". */
    static double[] disjoint(double[][] vhat, double[] w, String fn, double zeroSign) {
        int tasks = vhat.length;
        int d = vhat[0].length;
        double[] s = new double[d];
        long ssum = 0;
        for (int i = 0; i < d; i++) {
            double sum = 0;
            for (int t = 0; t < tasks; t++) {
                sum += vhat[t][i];
            }
            s[i] = Math.signum(sum);
            ssum += (long) s[i];
        }
        double fallback = Double.isNaN(zeroSign) ? Math.signum(ssum) : zeroSign;
        double[] out = new double[d];
        for (int i = 0; i < d; i++) {
            if (s[i] == 0) {
                s[i] = fallback;
            }
            double sum = 0;
            double den = 0;
            double max = 0;
            for (int t = 0; t < tasks; t++) {
                double x = vhat[t][i];
                boolean keep = s[i] > 0 ? x > 0 : x < 0;
                if (keep) {
                    sum += x;
                    den += w == null ? 1 : w[t];
                    max = Math.max(max, Math.abs(x));
                }
            }
            switch (fn) {
                case "dis-sum": out[i] = sum; break;
                case "dis-mean": out[i] = sum / (Math.abs(den) < 1e-8 ? 1 : den); break;
                case "dis-max": out[i] = s[i] * max; break;
                default: throw new IllegalArgumentException(fn);
            }
        }
        return out;
    }

    /** Global TIES: θ = θ_0 + λ τ_m, per tensor name. */
    static Map<String, double[]> global(List<InMemoryMergeDriver.Tensor> tensors, double k, String fn, double lambda) {
        List<InMemoryMergeDriver.Tensor> sorted = InMemoryMergeDriver.sorted(tensors);
        int tasks = sorted.get(0).tasks().size();
        double[][] vhat = new double[tasks][];
        for (int t = 0; t < tasks; t++) {
            double[] v = flatTask(sorted, t);
            double thr = globalThreshold(v, k);
            vhat[t] = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                vhat[t][i] = thr < 0 || Math.abs(v[i]) >= thr ? v[i] : 0;
            }
        }
        return unflatten(sorted, disjoint(vhat, null, fn, Double.NaN), lambda);
    }

    static Map<String, double[]> unflatten(List<InMemoryMergeDriver.Tensor> sorted, double[] tm, double lambda) {
        Map<String, double[]> out = new LinkedHashMap<>();
        int o = 0;
        for (InMemoryMergeDriver.Tensor x : sorted) {
            double[] r = new double[x.size()];
            for (int i = 0; i < r.length; i++) {
                r[i] = x.base()[i] + lambda * tm[o++];
            }
            out.put(x.name(), r);
        }
        return out;
    }

    /** Keeps the top int(density·n) by |v| of one tensor (values assumed distinct). */
    static double[] keepTop(float[] v, double density) {
        int n = v.length;
        double[] out = new double[n];
        if (density >= 1) {
            for (int i = 0; i < n; i++) {
                out[i] = v[i];
            }
            return out;
        }
        long k = (long) (density * n);
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(Math.abs(v[b]), Math.abs(v[a])));
        for (int r = 0; r < k; r++) {
            out[idx[r]] = v[idx[r]];
        }
        return out;
    }

    /** MergeKit-style per-tensor TIES of one tensor with weights w (null = 1), sign +1 on zero sum. */
    static double[] tensorScope(InMemoryMergeDriver.Tensor x, double density, double[] w, String fn, double lambda) {
        int tasks = x.tasks().size();
        double[][] vhat = new double[tasks][];
        for (int t = 0; t < tasks; t++) {
            vhat[t] = keepTop(x.tasks().get(t), density);
            for (int i = 0; i < vhat[t].length; i++) {
                vhat[t][i] *= w == null ? 1 : w[t];
            }
        }
        double[] tm = disjoint(vhat, w, fn, 1.0);
        double[] r = new double[x.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = x.base()[i] + lambda * tm[i];
        }
        return r;
    }
}
