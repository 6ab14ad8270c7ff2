package dev.amalgam.report;

/**
 * One curve of accuracy against a merge coefficient (e.g. Task Arithmetic's λ). Curves with the same
 * {@code chart} share one plot whose x axis is labelled {@code axis}.
 */
public record Sweep(String name, double[] lambdas, double[] accuracies, String chart, String axis) {
    public Sweep {
        if (lambdas.length != accuracies.length || lambdas.length == 0) {
            throw new IllegalArgumentException(name + ": need as many accuracies as lambdas, at least one");
        }
        chart = chart == null ? "" : chart;
        axis = axis == null || axis.isEmpty() ? "λ" : axis;
    }

    /** A curve on the single default "Accuracy vs λ" chart. */
    public Sweep(String name, double[] lambdas, double[] accuracies) {
        this(name, lambdas, accuracies, "", "λ");
    }
}
