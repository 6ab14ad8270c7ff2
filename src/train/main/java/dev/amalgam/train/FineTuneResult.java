package dev.amalgam.train;

import java.util.List;

/**
 * Outcome of {@link FineTuner#fit}: the model holds the weights of {@code bestStep} afterwards.
 *
 * @param trainLosses mean training loss of every update, in order
 * @param secondsPerStep mean wall time of one update (forward, backward, clipping, optimiser)
 */
public record FineTuneResult(double bestValAccuracy, int bestStep, int steps, boolean stoppedEarly,
                             List<Float> trainLosses, List<EvalPoint> evaluations, double secondsPerStep) {
}
