/**
 * CLIP training on the shared {@link dev.amalgam.train.TrainingLoop}: contrastive pretraining of both
 * towers ({@link dev.amalgam.train.clip.ContrastivePretrainer}), vision-tower fine-tuning against
 * frozen zero-shot heads ({@link dev.amalgam.train.clip.VisionFineTuner}, the task-vectors recipe), and
 * the whole {@code amalgam finetune} job on a CLIP checkpoint and an image folder.
 */
package dev.amalgam.train.clip;
