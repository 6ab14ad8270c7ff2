package dev.amalgam.eval.metrics;

/** Top-1 accuracy: the fraction of predictions equal to the label. */
public final class Accuracy {
    private Accuracy() {
    }

    public static double of(int[] predicted, int[] labels) {
        Checks.sameLength(predicted, labels);
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }
        return (double) correct / labels.length;
    }
}
