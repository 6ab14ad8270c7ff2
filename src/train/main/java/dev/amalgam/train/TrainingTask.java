package dev.amalgam.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.List;

/**
 * What {@link TrainingLoop} trains: the batches of each epoch, the loss of a batch and, optionally, a
 * validation. {@code B} is the task's batch (a list of examples, an index array, ...).
 */
public interface TrainingTask<B> {

    /** The batches of epoch {@code epoch} (0-based). The loop asks for epochs in order, each once, only when needed. */
    List<B> epoch(int epoch);

    /** Batches in one epoch (for progress displays). */
    int batchesPerEpoch();

    /** The mean loss of {@code batch}, computed with arrays of {@code m} while gradients are recorded. */
    NDArray loss(B batch, NDManager m);

    /** Whether {@link #evaluate} measures anything; without it the loop never evaluates or keeps best weights. */
    default boolean validates() {
        return false;
    }

    /** Validation accuracy and loss of the model as it is after update {@code step}. */
    default EvalPoint evaluate(int step, int epoch) {
        throw new UnsupportedOperationException("this task has no validation set");
    }

    /** Called after update {@code step} (1-based), e.g. to clamp a parameter. */
    default void afterUpdate(int step) {
    }
}
