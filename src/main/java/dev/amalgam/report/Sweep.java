package dev.amalgam.report;

/** One curve of accuracy against a merge coefficient λ (e.g. Task Arithmetic's scaling factor). */
public record Sweep(String name, double[] lambdas, double[] accuracies) {
    public Sweep {
        if (lambdas.length != accuracies.length || lambdas.length == 0) {
            throw new IllegalArgumentException(name + ": need as many accuracies as lambdas, at least one");
        }
    }
}
