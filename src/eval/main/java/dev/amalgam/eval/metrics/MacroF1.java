package dev.amalgam.eval.metrics;

/**
 * Macro-averaged F1: the unweighted mean over classes of F1 = 2 TP / (2 TP + FP + FN). A class
 * with no true and no predicted examples (TP + FP + FN = 0) is left out of the mean; a class that
 * occurs but is never predicted correctly counts with F1 = 0.
 */
public final class MacroF1 {
    private MacroF1() {
    }

    public static double of(int[] predicted, int[] labels, int numClasses) {
        Checks.sameLength(predicted, labels);
        long[] tp = new long[numClasses];
        long[] fp = new long[numClasses];
        long[] fn = new long[numClasses];
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                tp[labels[i]]++;
            } else {
                fp[predicted[i]]++;
                fn[labels[i]]++;
            }
        }
        double sum = 0;
        int counted = 0;
        for (int c = 0; c < numClasses; c++) {
            long denom = 2 * tp[c] + fp[c] + fn[c];
            if (denom == 0) {
                continue;
            }
            sum += 2.0 * tp[c] / denom;
            counted++;
        }
        return counted == 0 ? 0 : sum / counted;
    }
}
