package dev.amalgam.report;

import java.util.List;

/** A task x layer matrix (e.g. LwPTV saliency), {@code values[task][layer]}. */
public record Saliency(List<String> tasks, List<String> layers, double[][] values) {
    public Saliency {
        tasks = List.copyOf(tasks);
        layers = List.copyOf(layers);
        if (values.length != tasks.size()) {
            throw new IllegalArgumentException("one row per task required");
        }
        for (double[] row : values) {
            if (row.length != layers.size()) {
                throw new IllegalArgumentException("one value per layer required");
            }
        }
    }
}
