/**
 * The merge engine: a {@link dev.amalgam.merge.MergeMethod} (task arithmetic, TIES, DARE, TSV-M, ISO-C/CTS,
 * WUDI, EMR, TALL, ...) runs on the {@link dev.amalgam.merge.StreamingExecutor}, which reads the pre-trained
 * and fine-tuned checkpoints tensor by tensor with bounded memory and hands every merged tensor to a
 * {@link dev.amalgam.merge.MergeSink} (a checkpoint on disk, or a model's live parameters). The math of each
 * method is in docs/methods/.
 */
package dev.amalgam.merge;
