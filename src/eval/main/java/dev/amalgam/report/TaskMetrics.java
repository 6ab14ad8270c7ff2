package dev.amalgam.report;

/** Evaluation of one model on one task (or one corrupted split): top-1 accuracy and mean cross-entropy. */
public record TaskMetrics(double accuracy, double loss, long examples) {
}
