/**
 * Data-aware merge methods (RegMean, RegMean++, Fisher merging, AdaMerging; docs/methods/): they run the
 * models on a few examples per task ({@link dev.amalgam.merge.data.MergeData}) to collect statistics or
 * fit coefficients, then merge on the streaming executor. {@link dev.amalgam.merge.data.DataAwareMethods}
 * adds them to the engine's methods; {@link dev.amalgam.merge.data.TaskDataOpener} opens a task's examples
 * and the model that consumes them.
 */
package dev.amalgam.merge.data;
