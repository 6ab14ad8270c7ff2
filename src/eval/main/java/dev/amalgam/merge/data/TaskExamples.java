package dev.amalgam.merge.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/** One task's unlabeled examples as model inputs (a data-aware merge reads the first few hundred). */
public interface TaskExamples {
    int size();

    /** The model inputs of examples {@code from} (inclusive) to {@code to} (exclusive), on {@code m}. */
    NDList batch(int from, int to, NDManager m);
}
