package dev.amalgam.merge.lwptv;

import dev.amalgam.merge.TensorStep;
import dev.amalgam.merge.stages.ChunkedPass;
import dev.amalgam.merge.stages.StepViews;
import dev.amalgam.merge.GlobalMagnitudeRank;

import java.util.stream.IntStream;

/**
 * Share of the task's salient parameters that fall in a layer, relative to the layer's share of all
 * parameters. Salient = the task's global top-k % entries by |τ_t| (TIES's notion of the parameters
 * that matter). s[t][l] = (c_tl / n_l) / (c_t / n): 1 means the layer holds its fair share, 0 means
 * none of the task's salient parameters sit there — the layer's update is redundant. A layer the
 * task did not change at all (e.g. a frozen CLIP text tower) scores NaN.
 *
 * <p>Three passes with bounded memory: two for an exact radix-selected global threshold per task,
 * one to count the entries at or above it per layer.
 */
public final class TopKShareSaliency implements SaliencyScore {
    private final double kPercent;
    private GlobalMagnitudeRank rank = new GlobalMagnitudeRank("lwptv topk_share");
    private float[] thresholds;
    private LayerAccumulator hits;
    private LayerAccumulator sizes;
    private LayerAccumulator nonZero;
    private double[] totalHits;
    private double total;

    @Override
    public void reset() {
        rank = new GlobalMagnitudeRank("lwptv topk_share");
        thresholds = null;
        hits = null;
        sizes = null;
        nonZero = null;
        totalHits = null;
        total = 0;
    }

    public TopKShareSaliency(double kPercent) {
        this.kPercent = kPercent;
    }

    @Override
    public String name() {
        return "topk_share";
    }

    @Override
    public String describe() {
        return "topk_share(k=" + kPercent + "%: layer's share of the task's global top-k |tau| entries / its share of parameters)";
    }

    @Override
    public int passes() {
        return 3;
    }

    @Override
    public void observe(int pass, TensorStep step, int layer) {
        int tasks = step.taskCount();
        if (hits == null) {
            hits = new LayerAccumulator(tasks);
            sizes = new LayerAccumulator(tasks);
            nonZero = new LayerAccumulator(tasks);
            totalHits = new double[tasks];
        }
        if (pass < 2) {
            rank.observe(pass, step);
            return;
        }
        long[][] counts = new long[tasks][2];
        StepViews v = step.views();
        IntStream.range(0, tasks).parallel().forEach(t -> {
            int thr = Float.floatToRawIntBits(thresholds[t]);
            float[] chunk = v != null ? new float[ChunkedPass.CHUNK] : step.taskVector(t).toFloatArray();
            int n = v != null ? v.n() : chunk.length;
            for (int off = 0; off < n; off += chunk.length) {
                int len = Math.min(chunk.length, n - off);
                if (v != null) {
                    v.rows()[t].get(off, chunk, 0, len);
                }
                for (int i = 0; i < len; i++) {
                    int a = Float.floatToRawIntBits(chunk[i]) & 0x7fffffff;
                    counts[t][0] += (~(a - thr)) >>> 31; // |x| ≥ thr
                    counts[t][1] += (-a) >>> 31;         // x ≠ 0
                }
            }
        });
        long n = step.base().getShape().size();
        for (int t = 0; t < tasks; t++) {
            hits.add(t, layer, counts[t][0]);
            nonZero.add(t, layer, counts[t][1]);
            sizes.add(t, layer, n);
            totalHits[t] += counts[t][0];
        }
        total += n;
    }

    @Override
    public void endPass(int pass) {
        if (!rank.started()) {
            return;
        }
        if (pass == 0) {
            rank.endHighPass(n -> Math.max(1, Math.min(n, (long) (n * kPercent / 100.0))));
        } else if (pass == 1) {
            thresholds = rank.endLowPass();
            for (int t = 0; t < thresholds.length; t++) {
                // An all-zero task vector has threshold 0: every entry would count as salient.
                if (thresholds[t] == 0f) {
                    thresholds[t] = Float.MIN_VALUE;
                }
            }
        }
    }

    @Override
    public double[][] scores(int layerCount) {
        int tasks = totalHits == null ? 0 : totalHits.length;
        double[][] s = new double[tasks][layerCount];
        for (int t = 0; t < tasks; t++) {
            double overall = totalHits[t] / total;
            for (int l = 0; l < layerCount; l++) {
                double n = sizes.get(t, l);
                // a layer the task did not change at all has nothing to prune: NaN
                s[t][l] = n == 0 || nonZero.get(t, l) == 0 ? Double.NaN
                        : (overall == 0 ? 0.0 : (hits.get(t, l) / n) / overall);
            }
        }
        return s;
    }
}
