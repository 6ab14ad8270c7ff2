package dev.amalgam.train.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.amalgam.train.EvalPoint;
import dev.amalgam.train.TrainingTask;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.IntConsumer;

/**
 * A {@link TrainingTask} over {@link IndexBatches}: {@code loss} of a batch of example indices, an
 * optional validation ({@code (step, epoch) → point}, null for none) and an optional hook after each
 * update (null for none).
 */
record IndexBatchTask(IndexBatches batches, BiFunction<int[], NDManager, NDArray> lossOf,
                      BiFunction<Integer, Integer, EvalPoint> validation, IntConsumer afterEach)
        implements TrainingTask<int[]> {

    @Override
    public List<int[]> epoch(int epoch) {
        return batches.next();
    }

    @Override
    public int batchesPerEpoch() {
        return batches.perEpoch();
    }

    @Override
    public NDArray loss(int[] batch, NDManager m) {
        return lossOf.apply(batch, m);
    }

    @Override
    public boolean validates() {
        return validation != null;
    }

    @Override
    public EvalPoint evaluate(int step, int epoch) {
        return validation.apply(step, epoch);
    }

    @Override
    public void afterUpdate(int step) {
        if (afterEach != null) {
            afterEach.accept(step);
        }
    }
}
