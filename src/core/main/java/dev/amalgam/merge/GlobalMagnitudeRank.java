package dev.amalgam.merge;

import dev.amalgam.AmalgamException;
import dev.amalgam.merge.stages.ChunkedPass;
import dev.amalgam.merge.stages.StepViews;
import dev.amalgam.merge.ops.MagnitudeRadixSelect;

import java.util.function.LongUnaryOperator;
import java.util.stream.IntStream;

/**
 * Per task, the exact value of a chosen rank of |τ_t| over every tensor of a run (TIES's global top-k
 * threshold, LwPTV's top-k share), in two streamed passes with bounded memory: a histogram of the high
 * 16 bits of the magnitudes' bit patterns, then of the low 16 bits inside the chosen bin. Reads the
 * step's native arrays chunk by chunk when it has kernel views, else each task vector as an array
 * (any device). Tasks are counted in parallel (counts do not depend on order).
 */
public final class GlobalMagnitudeRank {
    private final String method;
    private MagnitudeRadixSelect[] selectors;
    private boolean[] skipLow;

    public GlobalMagnitudeRank(String method) {
        this.method = method;
    }

    /** Adds the step's task vectors to pass 0 (high bits) or 1 (low bits). */
    public void observe(int pass, TensorStep step) {
        int tasks = step.taskCount();
        if (selectors == null) {
            selectors = new MagnitudeRadixSelect[tasks];
            for (int t = 0; t < tasks; t++) {
                selectors[t] = new MagnitudeRadixSelect();
            }
        } else if (selectors.length != tasks) {
            throw new AmalgamException(method + ": tensor " + step.name() + " has " + tasks + " task vectors, expected "
                    + selectors.length);
        }
        if (pass == 1 && skipLow == null) {
            throw new IllegalStateException("low-bits pass before endHighPass");
        }
        StepViews v = step.views();
        IntStream.range(0, tasks).parallel().forEach(t -> {
            if (pass == 1 && skipLow[t]) {
                return;
            }
            if (v == null) {
                float[] x = step.taskVector(t).toFloatArray();
                add(pass, t, x, x.length, step.name());
                return;
            }
            float[] chunk = new float[ChunkedPass.CHUNK];
            for (int off = 0; off < v.n(); off += chunk.length) {
                int len = Math.min(chunk.length, v.n() - off);
                v.rows()[t].get(off, chunk, 0, len);
                add(pass, t, chunk, len, step.name());
            }
        });
    }

    private void add(int pass, int t, float[] x, int len, String tensor) {
        if (pass == 0) {
            selectors[t].addHigh(x, len, tensor);
        } else {
            selectors[t].addLow(x, len);
        }
    }

    /** Whether any tensor was observed. */
    public boolean started() {
        return selectors != null;
    }

    /** Entries counted per task (the same for every task). */
    public long count() {
        return selectors == null ? 0 : selectors[0].count();
    }

    /**
     * Ends pass 0. {@code rank} maps the entry count to the 1-based rank (from the largest) to select;
     * a rank above the count selects nothing for that task and its threshold is 0.
     */
    public void endHighPass(LongUnaryOperator rank) {
        if (selectors == null) {
            return;
        }
        skipLow = new boolean[selectors.length];
        for (int t = 0; t < selectors.length; t++) {
            long r = rank.applyAsLong(selectors[t].count());
            skipLow[t] = r > selectors[t].count() || r < 1;
            if (!skipLow[t]) {
                selectors[t].endHighPass(r);
            }
        }
    }

    /** Ends pass 1: the selected magnitude per task (0 where the rank selected nothing). */
    public float[] endLowPass() {
        float[] out = new float[selectors == null ? 0 : selectors.length];
        for (int t = 0; t < out.length; t++) {
            out[t] = skipLow[t] ? 0f : selectors[t].endLowPass();
        }
        return out;
    }
}
