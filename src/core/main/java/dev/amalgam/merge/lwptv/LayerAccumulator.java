package dev.amalgam.merge.lwptv;

import java.util.Arrays;

/** Growable task × layer table of double sums, used by the saliency scores. */
final class LayerAccumulator {
    private final int tasks;
    private double[][] sums;

    LayerAccumulator(int tasks) {
        this.tasks = tasks;
        this.sums = new double[tasks][16];
    }

    void add(int task, int layer, double v) {
        if (layer >= sums[task].length) {
            for (int t = 0; t < tasks; t++) {
                sums[t] = Arrays.copyOf(sums[t], Math.max(layer + 1, sums[t].length * 2));
            }
        }
        sums[task][layer] += v;
    }

    double get(int task, int layer) {
        return layer < sums[task].length ? sums[task][layer] : 0.0;
    }

    int tasks() {
        return tasks;
    }
}
