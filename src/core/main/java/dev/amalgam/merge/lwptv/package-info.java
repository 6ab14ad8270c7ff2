/**
 * LwPTV, layer-wise pruning of task vectors ({@link dev.amalgam.merge.lwptv.Lwptv}, docs/methods/): a
 * task × layer saliency score accumulated while tensors stream by, and the rule that turns it into a
 * keep/prune mask per task and layer, applied before any engine method.
 */
package dev.amalgam.merge.lwptv;
