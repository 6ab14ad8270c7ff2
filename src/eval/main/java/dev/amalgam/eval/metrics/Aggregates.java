package dev.amalgam.eval.metrics;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Aggregates over tasks. Normalised accuracy (Ortiz-Jimenez et al. 2023, used by the TALL/CART
 * papers) is merged accuracy divided by the individual fine-tuned model's accuracy on the same task.
 * ID average = mean over the merged (seen) tasks; OOD average = mean over the OOD entries
 * (corrupted splits or unseen tasks), both unweighted.
 */
public final class Aggregates {
    private Aggregates() {
    }

    public static double normalizedAccuracy(double merged, double individual) {
        if (!(individual > 0)) {
            throw new IllegalArgumentException("individual accuracy must be > 0: " + individual);
        }
        return merged / individual;
    }

    /** Per task: merged / individual; tasks missing from {@code individual} are an error. */
    public static Map<String, Double> normalizedAccuracy(Map<String, Double> merged, Map<String, Double> individual) {
        Map<String, Double> out = new LinkedHashMap<>();
        merged.forEach((task, acc) -> {
            Double ind = individual.get(task);
            if (ind == null) {
                throw new IllegalArgumentException("no individual accuracy for task " + task);
            }
            out.put(task, normalizedAccuracy(acc, ind));
        });
        return out;
    }

    public static double mean(Collection<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s / values.size();
    }

    public static double idAverage(Map<String, Double> perTaskId) {
        return mean(perTaskId.values());
    }

    public static double oodAverage(Map<String, Double> perTaskOod) {
        return mean(perTaskOod.values());
    }
}
