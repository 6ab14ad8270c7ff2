package dev.amalgam.merge.data;

/**
 * A suite that can hand its tasks' unlabeled examples to a data-aware merge (RegMean, Fisher,
 * AdaMerging): the forward pass it evaluates with and, per task, a split's inputs (labels unused).
 */
public interface MergeDataProvider {
    /** Every task's examples of {@code split} (e.g. "train", "test"), with the suite's forward pass. */
    MergeData mergeData(String split);
}
