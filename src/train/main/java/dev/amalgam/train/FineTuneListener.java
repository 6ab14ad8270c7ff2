package dev.amalgam.train;

/** Callbacks of a fine-tuning run (progress display, logs). All methods default to nothing. */
public interface FineTuneListener {

    default void onStart(int totalSteps, int batchesPerEpoch) {
    }

    /** After update {@code step} (1-based) with its mean training loss, learning rate and pre-clip gradient norm. */
    default void onStep(int step, float loss, float learningRate, double gradNorm) {
    }

    default void onEvaluation(EvalPoint point, boolean improved) {
    }

    default void onEnd(FineTuneResult result) {
    }

    FineTuneListener NONE = new FineTuneListener() {
    };
}
