package dev.amalgam.eval.metrics;

import java.util.Arrays;

/** Accumulates batches of logits and labels; reports accuracy, macro-F1 and mean cross-entropy. */
public final class ClassificationMeter {
    private final int numClasses;
    private int[] predicted = new int[64];
    private int[] labels = new int[64];
    private int count;
    private double lossSum;

    public ClassificationMeter(int numClasses) {
        this.numClasses = numClasses;
    }

    public void add(float[][] logits, int[] batchLabels) {
        if (logits.length != batchLabels.length) {
            throw new IllegalArgumentException("logits and labels differ in length");
        }
        for (int i = 0; i < batchLabels.length; i++) {
            if (logits[i].length != numClasses) {
                throw new IllegalArgumentException("expected " + numClasses + " logits, got " + logits[i].length);
            }
            if (count == predicted.length) {
                predicted = Arrays.copyOf(predicted, count * 2);
                labels = Arrays.copyOf(labels, count * 2);
            }
            predicted[count] = CrossEntropy.argmax(logits[i]);
            labels[count] = batchLabels[i];
            lossSum += CrossEntropy.single(logits[i], batchLabels[i]);
            count++;
        }
    }

    public int count() {
        return count;
    }

    public double accuracy() {
        return Accuracy.of(Arrays.copyOf(predicted, count), Arrays.copyOf(labels, count));
    }

    public double macroF1() {
        return MacroF1.of(Arrays.copyOf(predicted, count), Arrays.copyOf(labels, count), numClasses);
    }

    public double loss() {
        return lossSum / count;
    }
}
