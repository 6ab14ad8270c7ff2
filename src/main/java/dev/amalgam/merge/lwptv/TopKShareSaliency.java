package dev.amalgam.merge.lwptv;

import dev.amalgam.merge.TensorStep;
import dev.amalgam.merge.stages.ChunkedPass;
import dev.amalgam.merge.stages.StepViews;
import dev.amalgam.merge.ops.MagnitudeRadixSelect;

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
    private MagnitudeRadixSelect[] selectors;
    private float[] thresholds;
    private LayerAccumulator hits;
    private LayerAccumulator sizes;
    private LayerAccumulator nonZero;
    private double[] totalHits;
    private double total;

    @Override
    public void reset() {
        selectors = null;
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
        if (selectors == null) {
            selectors = new MagnitudeRadixSelect[tasks];
            for (int t = 0; t < tasks; t++) {
                selectors[t] = new MagnitudeRadixSelect();
            }
            hits = new LayerAccumulator(tasks);
            sizes = new LayerAccumulator(tasks);
            nonZero = new LayerAccumulator(tasks);
            totalHits = new double[tasks];
        }
        StepViews views = step.views();
        if (views != null) {
            observeViews(pass, views, layer, step.name());
            return;
        }
        for (int t = 0; t < tasks; t++) {
            float[] v = step.taskVector(t).toFloatArray();
            if (pass == 0) {
                selectors[t].addHigh(v, step.name());
            } else if (pass == 1) {
                selectors[t].addLow(v);
            } else {
                long c = 0;
                long nz = 0;
                float thr = thresholds[t];
                for (float x : v) {
                    if (Math.abs(x) >= thr) {
                        c++;
                    }
                    if (x != 0f) {
                        nz++;
                    }
                }
                hits.add(t, layer, c);
                nonZero.add(t, layer, nz);
                sizes.add(t, layer, v.length);
                totalHits[t] += c;
                if (t == 0) {
                    total += v.length;
                }
            }
        }
    }

    /** The same passes read chunk by chunk from the step's native arrays, tasks in parallel. */
    private void observeViews(int pass, StepViews v, int layer, String tensor) {
        int n = v.n();
        long[][] counts = new long[v.tasks()][2];
        IntStream.range(0, v.tasks()).parallel().forEach(t -> {
            float[] chunk = new float[ChunkedPass.CHUNK];
            int thr = pass == 2 ? Float.floatToRawIntBits(thresholds[t]) : 0;
            long c = 0;
            long nz = 0;
            for (int off = 0; off < n; off += chunk.length) {
                int len = Math.min(chunk.length, n - off);
                v.rows()[t].get(off, chunk, 0, len);
                if (pass == 0) {
                    selectors[t].addHigh(chunk, len, tensor);
                } else if (pass == 1) {
                    selectors[t].addLow(chunk, len);
                } else {
                    for (int i = 0; i < len; i++) {
                        int a = Float.floatToRawIntBits(chunk[i]) & 0x7fffffff;
                        c += (~(a - thr)) >>> 31;
                        nz += (-a) >>> 31;
                    }
                }
            }
            counts[t][0] = c;
            counts[t][1] = nz;
        });
        if (pass == 2) {
            for (int t = 0; t < v.tasks(); t++) {
                hits.add(t, layer, counts[t][0]);
                nonZero.add(t, layer, counts[t][1]);
                sizes.add(t, layer, n);
                totalHits[t] += counts[t][0];
            }
            total += n;
        }
    }

    @Override
    public void endPass(int pass) {
        if (selectors == null) {
            return;
        }
        if (pass == 0) {
            for (MagnitudeRadixSelect s : selectors) {
                long n = s.count();
                long keep = (long) (n * kPercent / 100.0);
                s.endHighPass(Math.max(1, Math.min(n, keep)));
            }
        } else if (pass == 1) {
            thresholds = new float[selectors.length];
            for (int t = 0; t < selectors.length; t++) {
                thresholds[t] = selectors[t].endLowPass();
                // An all-zero task vector has threshold 0: every entry would count as salient.
                if (thresholds[t] == 0f) {
                    thresholds[t] = Float.MIN_VALUE;
                }
            }
        }
    }

    @Override
    public double[][] scores(int layerCount) {
        int tasks = selectors == null ? 0 : selectors.length;
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
