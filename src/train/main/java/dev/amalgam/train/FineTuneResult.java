package dev.amalgam.train;

import java.util.List;

/**
 * Outcome of a {@link TrainingLoop} run: the model holds the weights of {@code bestStep} afterwards
 * ({@code bestValAccuracy} is NaN and {@code bestStep} the last update when the task has no validation).
 *
 * @param trainLosses mean training loss of every update, in order
 * @param secondsPerStep mean wall time of one update (forward, backward, clipping, optimiser)
 */
public record FineTuneResult(double bestValAccuracy, int bestStep, int steps, boolean stoppedEarly,
                             List<Float> trainLosses, List<EvalPoint> evaluations, double secondsPerStep) {
}
